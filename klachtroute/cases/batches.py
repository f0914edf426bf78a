"""Work done a batch at a time, and one item at a time when the batch fails.

The periodic jobs write a batch of complaints (or measures) in one transaction. When that
fails, the batch is done again item by item, so that one item that fails is undone alone and
the rest of its batch stands. Where the work claims what it does first (a notice with a
unique key), a claim that fails means another run at the same moment took it: that is not
an error, and the item is left to that run.
"""

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import IntegrityError

logger = logging.getLogger(__name__)

Item = TypeVar("Item")


def batch_or_one_by_one(
    batch: Sequence[Item],
    work: Callable[[Sequence[Item]], int],
    *,
    what: str,
    name: Callable[[Item], object] = lambda item: getattr(item, "pk", item),
    claims: bool = False,
) -> tuple[int, int]:
    """`work(batch)`, and when it fails `work([item])` for each item; `work` runs in a
    transaction of its own and returns how many it did. With `claims`, an IntegrityError
    means another run claimed some of it (the batch is done again item by item, and an item
    it claimed is skipped); without, it is a failure like any other. `what` names the work
    in the log, `name` an item. Returns (done, errors)."""
    try:
        return work(batch), 0
    except IntegrityError:
        if not claims:
            logger.exception("%s of a batch failed; one at a time", what)
    except Exception:
        logger.exception("%s of a batch failed; one at a time", what)
    done = errors = 0
    for item in batch:
        try:
            done += work([item])
        except IntegrityError:
            if claims:
                continue  # another run claimed it
            errors += 1
            logger.exception("%s of %s failed", what, name(item))
        except Exception:
            errors += 1
            logger.exception("%s of %s failed", what, name(item))
    return done, errors
