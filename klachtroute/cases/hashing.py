"""The keyed hashes of a complaint's history: one home for how an event is hashed, used
when an event is recorded and when `verify_history` checks the chain.

An event's content_hash is the HMAC-SHA256 (key: settings.HISTORY_KEY) of its content in
canonical JSON: sorted keys, no spaces, UTF-8 as is, its time as the ISO 8601 text of the
moment in UTC. Its chain_hash is the HMAC of the previous event's chain_hash (or "" for a
complaint's first event) followed by its own content_hash. Every stored hash depends on
this exact text, so the canonical form never changes (migration cases/0004 keeps a frozen
unkeyed copy, 0007 moves to the keyed one).

`event_hashers()` gives both digests with the key prepared once; the walk over the whole
archive calls them twice per event with the event's fields as the database gives them
(its time as text by `EventAtText`, its JSON fields as canonical text by `json_canonical`).
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.db.models import Func, TextField

# Canonical JSON of a value: sorted keys, no spaces, UTF-8 as is (one encoder, built once).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
)
# A string as _CANONICAL writes it (ensure_ascii=False picks this same function).
_string = json.encoder.encode_basestring

ContentDigest = Callable[..., str]
ChainDigest = Callable[[str, str], str]


def _history_key() -> bytes:
    # Not in the database: someone who can write the events cannot recompute the hashes.
    return settings.HISTORY_KEY.encode("utf-8")


@lru_cache(maxsize=8)
def _keyed_sha256(key: bytes) -> Callable[[bytes], str]:
    """HMAC-SHA256 under `key` (RFC 2104) as a function of the message, its hex digest: the
    key's inner and outer blocks are hashed once here and copied per message, instead of
    again for every message as `hmac.digest` does (the same digest, about a third of the
    time for the short messages of the history). Remembered per key: an event recorded
    hashes twice, and a batch of events as many times over."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(key.translate(hmac.trans_36))
    outer = hashlib.sha256(key.translate(hmac.trans_5C))

    def mac(message: bytes) -> str:
        first = inner.copy()
        first.update(message)
        second = outer.copy()
        second.update(first.digest())
        return second.hexdigest()

    return mac


def event_hashers() -> tuple[ContentDigest, ChainDigest]:
    """The content digest and the chain digest under the history key.

    `content_digest(number, at_text, actor_id, actor_label, kind, summary, before, after,
    message, message_args)` takes plain strings, `at_text` as `event_at_text` gives it and
    the JSON fields as canonical JSON text (`json_canonical`); `chain_digest(previous,
    content_hash)` links an event to the one before it."""
    mac = _keyed_sha256(_history_key())

    def content_digest(
        number, at_text, actor_id, actor_label, kind, summary, before, after, message, args
    ) -> str:
        # The canonical JSON of the content, its keys in sorted order; the phrase's share
        # only for an event with a phrase, so events from before phrases hash as they did.
        phrase = f',"message":{_string(message)},"message_args":{args}' if message else ""
        actor = "null" if actor_id is None else actor_id
        canonical = (
            f'{{"actor":{actor},"actor_label":{_string(actor_label)},"after":{after},'
            f'"at":"{at_text}","before":{before},"complaint":{_string(number)},'
            f'"kind":{_string(kind)}{phrase},"summary":{_string(summary)}}}'
        )
        return mac(canonical.encode("utf-8"))

    def chain_digest(previous: str, content_hash: str) -> str:
        return mac((previous + content_hash).encode("ascii"))

    return content_digest, chain_digest


def event_at_text(at: datetime.datetime) -> str:
    """An event's time as hashed: ISO 8601 in UTC (microseconds only when not zero)."""
    return at.astimezone(datetime.UTC).isoformat()


# The same text computed by PostgreSQL from the stored column, `%(expressions)s` being it:
# reading the text is cheaper than building a datetime per event to format it again.
EVENT_AT_TEXT_SQL = (
    "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE to_char(%(expressions)s AT TIME ZONE 'UTC', 'US') WHEN '000000' THEN ''"
    " ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') END || '+00:00'"
)


class EventAtText(Func):
    """A stored time as `event_at_text` writes it, computed in the database."""

    arity = 1
    output_field = TextField()
    template = EVENT_AT_TEXT_SQL

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite holds Django's text of the time in UTC already, with a space for the T.
        return super().as_sql(
            compiler,
            connection,
            template="replace(%(expressions)s, ' ', 'T') || '+00:00'",
            **extra_context,
        )


def json_canonical(value) -> str:
    """A JSON value (a dict of `before`, `after` or `message_args`) as canonical JSON."""
    return _CANONICAL.encode(value)


@lru_cache(maxsize=4096)
def json_canonical_of_stored(text: str | None) -> str:
    """The canonical JSON of a JSON field read as its stored text (many events carry the
    same small values, so the decoded text is remembered)."""
    if text is None:
        return "null"
    if text == "{}":
        return text
    return _CANONICAL.encode(json.loads(text))


def event_content_hash(
    *,
    complaint_number,
    at,
    actor_id,
    actor_label,
    kind,
    summary,
    before,
    after,
    message: str = "",
    message_args: dict | None = None,
) -> str:
    """The keyed hash of one event's content, its fields as the model holds them."""
    content_digest, _chain = event_hashers()
    return content_digest(
        str(complaint_number),
        event_at_text(at),
        actor_id,
        str(actor_label),
        str(kind),
        str(summary),
        json_canonical(before),
        json_canonical(after),
        str(message or ""),
        json_canonical(message_args or {}),
    )


def event_chain_hash(*, previous: str, content_hash: str) -> str:
    """Link an event to the one before it (`previous` is "" for a complaint's first event)."""
    return event_hashers()[1](previous, content_hash)
