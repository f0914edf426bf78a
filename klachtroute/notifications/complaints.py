"""What the outbox asks of the complaint app, which is built on it.

A message may belong to a complaint. Whether a person may read it is the complaint's one
visibility rule, and what happened to it (sent, failed, offered again) belongs in the
complaint's history. The outbox does not import the complaint app for that: the complaint
app registers both answers when it starts (`CasesConfig.ready`), and the outbox refuses
to run without them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# What a delivery outcome is called in the complaint's history.
SENT, FAILED, RETRIED = "sent", "failed", "retried"


@dataclass(frozen=True)
class ComplaintLink:
    # (user, complaint ids) -> the ids among them that the user may see
    visible_ids: Callable[[Any, Iterable[int]], set[int]]
    # (message, actor, outcome, text, text_args, before, after) -> None; inside the
    # transaction; text is an untranslated message id (gettext_noop), text_args its values
    history_note: Callable[..., None]


_registered: list[ComplaintLink] = []


def complaint_link_register(link: ComplaintLink) -> None:
    _registered[:] = [link]


def complaint_link() -> ComplaintLink:
    if not _registered:
        raise ImproperlyConfigured(
            "The outbox needs the complaint app (klachtroute.cases) in INSTALLED_APPS."
        )
    return _registered[0]
