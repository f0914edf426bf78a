"""Checking that complaints' histories were not tampered with.

Each complaint's events (ordered by id) form a keyed hash chain: an event's content_hash
is an HMAC (key: settings.HISTORY_KEY, never in the database) of its own content, its
chain_hash an HMAC of the previous event's chain_hash plus its own content_hash. Someone
who can write the database but lacks the key cannot re-hash an edited row: it no longer
matches its content_hash (or its chain_hash, when they rewrote the hashes too). A removed,
inserted or reordered row breaks the chain at the next event. A redacted event (a
retention purge blanked personal data) is exempt from the content check only: the chain
still runs through its stored content_hash.

Removing a complaint's *last* events (or the complaint with all its events) leaves a
shorter chain that is still valid: the signed checkpoint outside the database catches that.
It holds, per complaint, the number of events and the chain hash of the last one, written
by `verify_history` and `watch_deadlines` (only after a clean check, so that a removal is
never anchored) and copied into every backup's manifest.
"""

import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .hashing import EventAtText, event_hashers, json_canonical_of_stored
from .models import Complaint, Event

CHECKPOINT_FORMAT = "klachtroute-history-checkpoint/1"


@dataclass(frozen=True)
class Problem:
    """The first broken link in one complaint's history."""

    complaint_number: str
    event_id: int | None
    at: datetime | None
    kind: str
    reason: str

    def __str__(self) -> str:
        if self.event_id is None:
            return f"complaint {self.complaint_number}: {self.reason}"
        return (
            f"complaint {self.complaint_number}: event {self.event_id} "
            f"({timezone.localtime(self.at):%Y-%m-%d %H:%M:%S %Z}, {self.kind}) — {self.reason}"
        )


@dataclass(frozen=True)
class VerifyResult:
    events: int
    complaints: int
    problems: list[Problem]
    # Per complaint number: (number of events, chain hash of the last one).
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    checkpoint_at: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


NO_HASH = "no hash stored"
CONTENT_CHANGED = (
    "content changed: its keyed content hash does not match (edited, "
    "re-hashed or not, by someone without the history key)"
)
CHAIN_BROKEN = (
    "chain broken: an earlier event was removed, inserted or moved, "
    "or this event's hashes were rewritten without the history key"
)


# --- the checkpoint outside the database ------------------------------------------------


def _signature(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    key = settings.HISTORY_KEY.encode("utf-8")
    return hmac.new(key, b"checkpoint:" + canonical, hashlib.sha256).hexdigest()


def checkpoint_body(heads: dict[str, tuple[int, str]]) -> dict:
    """The signed content of a checkpoint (also what a backup's manifest holds)."""
    body = {
        "format": CHECKPOINT_FORMAT,
        "written_at": timezone.now().isoformat(),
        "complaints": {
            number: {"events": count, "head": head} for number, (count, head) in heads.items()
        },
    }
    return {**body, "signature": _signature(body)}


class CheckpointError(Exception):
    pass


def checkpoint_read(path: Path | None = None) -> dict | None:
    """The last checkpoint, or None when none was written yet; refuses a forged one."""
    path = Path(path or settings.HISTORY_CHECKPOINT_FILE)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = {k: v for k, v in data.items() if k != "signature"}
        valid = hmac.compare_digest(str(data.get("signature", "")), _signature(body))
    except (OSError, ValueError, AttributeError) as exc:
        raise CheckpointError(f"checkpoint {path} cannot be read: {exc}") from exc
    if not valid or body.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"checkpoint {path} is not signed with the history key")
    return data


def checkpoint_write(heads: dict[str, tuple[int, str]], path: Path | None = None) -> Path:
    path = Path(path or settings.HISTORY_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(checkpoint_body(heads), indent=1, sort_keys=True).encode("utf-8")
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".checkpoint-")
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    os.replace(partial, path)
    return path


# --- the walk -------------------------------------------------------------------------

# What the walk reads of each event, in this order: the hashed fields as the hash takes
# them (the time as text, the JSON fields as their stored text), then the stored hashes.
_READ = {
    "pk": "pk",
    "complaint_id": "complaint_id",
    "number": "complaint__number",
    "at_text": EventAtText("at"),
    "actor_id": "actor_id",
    "actor_label": "actor_label",
    "kind": "kind",
    "summary": "summary",
    "before_text": Cast("before", TextField()),
    "after_text": Cast("after", TextField()),
    "message": "message",
    "message_args_text": Cast("message_args", TextField()),
    "content_hash": "content_hash",
    "chain_hash": "chain_hash",
    "redacted_at": "redacted_at",
}
_PK, _AT_TEXT, _KIND = (list(_READ).index(name) for name in ("pk", "at_text", "kind"))


def _event_rows(events) -> Iterator[tuple]:
    """The events as plain tuples in the order of `_READ` (no model instances, no datetime
    or JSON conversion by Django), streamed by a server-side cursor in chunks."""
    return events.values_list(*_READ.values()).iterator(chunk_size=10_000)


def _problem(number: str, row: tuple | None, reason: str) -> Problem:
    """The problem at `row` (an event as `_event_rows` reads it)."""
    return Problem(
        complaint_number=number,
        event_id=row[_PK] if row else None,
        at=datetime.fromisoformat(row[_AT_TEXT]) if row else None,
        kind=row[_KIND] if row else "",
        reason=reason,
    )


def history_verify_result(*, complaint_ids=None, checkpoint: dict | None = None) -> VerifyResult:
    """Walk every complaint's chain, report the first broken link of each complaint, and
    compare event counts and heads with `checkpoint` (by default the last one written).

    The events are streamed in one ordered query (by complaint, then id), so memory and
    the number of queries stay flat however many complaints there are.
    """
    if checkpoint is None and complaint_ids is None:
        checkpoint = checkpoint_read()
    anchored: dict[str, dict] = (checkpoint or {}).get("complaints", {})
    events = Event.objects.order_by("complaint_id", "id")
    if complaint_ids is not None:
        events = events.filter(complaint_id__in=complaint_ids)
    content_digest, chain_digest = event_hashers()
    canonical = json_canonical_of_stored
    problems: list[Problem] = []
    heads: dict[str, tuple[int, str]] = {}
    event_count = 0
    current_id = None
    number = ""
    count = 0
    anchored_count, anchored_head = 0, ""
    previous_chain = ""
    broken = False
    last = None  # the last sound event (a row as `_event_rows` reads it)

    def close_complaint() -> None:
        if current_id is None:
            return
        heads[number] = (count, previous_chain)
        if not broken and count < anchored_count:
            problems.append(
                _problem(
                    number,
                    last,
                    f"last events removed: the checkpoint of {checkpoint['written_at']} "
                    f"holds {anchored_count} events, the database {count}",
                )
            )

    for row in _event_rows(events):
        (
            _pk,
            complaint_id,
            row_number,
            at_text,
            actor_id,
            actor_label,
            kind,
            summary,
            before,
            after,
            message,
            message_args,
            content_hash,
            chain_hash,
            redacted_at,
        ) = row
        if complaint_id != current_id:
            close_complaint()
            current_id, number = complaint_id, row_number
            count, previous_chain, broken, last = 0, "", False, None
            mark = anchored.get(number)
            anchored_count, anchored_head = (mark["events"], mark["head"]) if mark else (0, "")
        event_count += 1
        count += 1
        if broken:
            continue
        if not content_hash or not chain_hash:
            reason = NO_HASH
        elif redacted_at is None and content_hash != content_digest(
            number,
            at_text,
            actor_id,
            actor_label,
            kind,
            summary,
            canonical(before),
            canonical(after),
            message,
            canonical(message_args),
        ):
            reason = CONTENT_CHANGED
        elif chain_hash != chain_digest(previous_chain, content_hash):
            reason = CHAIN_BROKEN
        elif count == anchored_count and chain_hash != anchored_head:
            reason = (
                "history rewritten: this event's chain hash differs from the head "
                f"anchored in the checkpoint of {checkpoint['written_at']}"
            )
        else:
            previous_chain = chain_hash
            last = row
            continue
        problems.append(_problem(number, row, reason))
        broken = True
    close_complaint()

    gone_numbers = sorted(set(anchored) - set(heads)) if complaint_ids is None else []
    if gone_numbers:
        # Which anchored complaints still exist (asked only when some have no events).
        existing = set(Complaint.objects.values_list("number", flat=True))
        for gone in gone_numbers:
            reason = (
                "complaint removed with its history"
                if gone not in existing
                else "every event of this complaint was removed"
            )
            problems.append(
                Problem(
                    complaint_number=gone,
                    event_id=None,
                    at=None,
                    kind="",
                    reason=(
                        f"{reason}: the checkpoint of {checkpoint['written_at']} holds "
                        f"{anchored[gone]['events']} events"
                    ),
                )
            )
    return VerifyResult(
        events=event_count,
        complaints=len(heads),
        problems=problems,
        heads=heads,
        checkpoint_at=(checkpoint or {}).get("written_at", ""),
    )


def history_verify(*, complaint_ids=None) -> list[Problem]:
    """The first broken link per complaint; an empty list means every history is intact."""
    return history_verify_result(complaint_ids=complaint_ids).problems


def history_check_due(*, path: Path | None = None) -> bool:
    """Whether the periodic job should walk the histories again: no checkpoint yet, or the
    last one is older than HISTORY_VERIFY_EVERY_MINUTES (a checkpoint that does not verify
    is due at once, so that the walk reports it)."""
    try:
        checkpoint = checkpoint_read(path)
    except CheckpointError:
        return True
    if checkpoint is None:
        return True
    written = datetime.fromisoformat(checkpoint["written_at"])
    age = timezone.now() - written
    return age.total_seconds() >= 60 * settings.HISTORY_VERIFY_EVERY_MINUTES


def history_checkpoint(*, path: Path | None = None) -> VerifyResult:
    """Verify everything against the last checkpoint; when all is sound, anchor the
    current counts and heads in a new one. A broken history is never anchored."""
    result = history_verify_result(checkpoint=checkpoint_read(path) if path else None)
    if result.ok:
        checkpoint_write(result.heads, path)
    return result
