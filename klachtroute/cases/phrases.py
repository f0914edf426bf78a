"""Sentences in a complaint's history, stored as a message id with arguments and written
in the reader's language when shown (history page, dossier, API, exports).

An event no longer keeps a sentence in the language of whoever happened to cause it: it
keeps the Dutch source text of a gettext message (`Event.message`) and its arguments
(`Event.message_args`), and `Event.text` translates both when the event is read.

Writing one::

    from klachtroute.cases.phrases import Phrase, day, label, moment, person_name, plural

    Phrase("Oplossing vastgelegd.")                                   # no arguments
    Phrase("%(party)s gaat akkoord.", party=label(Party(party)))       # a choice: its label
    Phrase("Via %(how)s.", how=label(Channel(c), lower=True))          # label inside a sentence
    Phrase("Termijn verlengd tot %(due)s.", due=day(new_due))          # "1 dec. 2026" / "1 Dec 2026"
    Phrase("Contact op %(at)s.", at=moment(contacted_at))              # "1 dec. 2026, 14:05"
    Phrase("Behandelaar: %(name)s.", name=person_name(user))           # a name, or "Systeem"
    Phrase("Reden: %(reason)s", reason=text_typed)                     # typed text, as typed
    plural("%(n)s punt.", "%(n)s punten.", len(items), n=len(items))   # as ngettext

An argument is one of:

- a plain `str` or number: shown as it is (text a person typed, a complaint number);
- `label(member)` for a choice (a `TextChoices` member), or any `gettext_lazy` text
  (a field label, a deadline's name): translated when shown (`lower=True` inside a
  sentence);
- `category_name(code)`: the label of a category of the complaint's procedure version;
- `languages(texts)`: a text the procedure definition gives per language
  (a ground's `Label`, or `{"nl": ..., "en": ...}`), shown in the reader's language;
- `day(date)` and `moment(datetime)`: written the way the reader's language writes dates
  (a bare `date` or `datetime` argument is marked so by itself);
- `person_name(user)`: the person's name (or "Systeem" for none), fixed when written;
  `respondent_arg(complaint)`: whom the complaint is about ("De organisatie" translated);
- another `Phrase`: a sentence inside a sentence, translated as well;
- a list of any of these: shown joined by ", ".

Converting a caller that still writes a finished sentence is mechanical::

    summary=_("Termijn verlengd tot %(date)s: %(reason)s")
    % {"date": new_due.strftime("%d-%m-%Y"), "reason": reason},
    # becomes
    summary=Phrase("Termijn verlengd tot %(date)s: %(reason)s", date=day(new_due), reason=reason),

(`_()` becomes `Phrase()`, the `%` dict becomes keyword arguments, a formatted date becomes
`day()`/`moment()`, a choice's `.label` or `get_x_display()` becomes `label()`, a
`display_name` becomes `person_name()`; two sentences joined with `+` become one msgid or
`Phrase("%(first)s %(then)s", first=..., then=...)`). `event_record` refuses anything but a
Phrase, so a caller that was missed fails at once.

The msgid must be a literal string: `manage.py makemessages` picks up `Phrase(...)` and
`plural(...)` (see `cases/management/commands/makemessages.py`), and every msgid needs its
English translation in locale/en/LC_MESSAGES/django.po like any other text (a msgid that
was already translated for a `_()` call keeps its translation).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Choices
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

# The keys of a stored phrase; "_plural" and "_n" only for a plural.
PLURAL, COUNT = "_plural", "_n"


class Phrase:
    """A message id and its arguments, translated only when shown."""

    __slots__ = ("msgid", "args", "msgid_plural", "count")

    def __init__(self, msgid: str, /, **args: Any) -> None:
        if not isinstance(msgid, str) or isinstance(msgid, Promise):
            raise TypeError("Phrase takes the literal Dutch source text (a str) as msgid.")
        self.msgid = msgid
        self.args = {name: _encode(value) for name, value in args.items()}
        self.msgid_plural = ""
        self.count: int | None = None

    def stored(self) -> tuple[str, dict]:
        """What an event keeps: (message, message_args)."""
        args = dict(self.args)
        if self.msgid_plural:
            args[PLURAL], args[COUNT] = self.msgid_plural, self.count
        return self.msgid, args

    def render(self, *, complaint=None) -> str:
        """The sentence in the active language."""
        message, args = self.stored()
        return phrase_render(message, args, complaint=complaint)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Phrase({self.msgid!r}, **{self.args!r})"


def plural(msgid: str, msgid_plural: str, count: int, /, **args: Any) -> Phrase:
    """A phrase with a singular and a plural form, chosen by `count` (as ngettext)."""
    phrase = Phrase(msgid, **args)
    phrase.msgid_plural, phrase.count = msgid_plural, int(count)
    return phrase


# --- marked arguments: stored as {"t": type, "v": value} --------------------------------


def label(value: Choices | Promise | str, *, lower: bool = False) -> dict:
    """A choice (a `TextChoices` member) or a lazily translated text, shown translated;
    `lower=True` for a label inside a sentence ("oordeel: gegrond")."""
    if isinstance(value, Choices):
        value = value.label
    msgid = _lazy_msgid(value) if isinstance(value, Promise) else str(value)
    return {"t": "msgid", "v": msgid, **({"lower": True} if lower else {})}


def category_name(code: str) -> dict:
    """A category of the complaint's procedure, shown by its label in the reader's language."""
    return {"t": "category", "v": str(code)}


def languages(texts) -> dict:
    """A text per language (a procedure definition's `Label`, or a dict by language code),
    shown in the reader's language."""
    if texts is not None and not isinstance(texts, dict):
        texts = texts.model_dump()  # a Label of the procedure definition
    return {"t": "languages", "v": {str(k): str(v) for k, v in (texts or {}).items() if v}}


def day(value: date | None) -> dict:
    """A date: "1 dec. 2026" in Dutch, "1 Dec 2026" in English."""
    return {"t": "day", "v": value.isoformat() if value else ""}


def moment(value: datetime | None) -> dict:
    """A moment: "1 dec. 2026, 14:05" in Dutch, in the local time zone."""
    return {"t": "moment", "v": value.isoformat() if value else ""}


def person_name(user) -> dict:
    """A person's name as it is now (a name is not translated); "Systeem" for nobody."""
    if user is None:
        return {"t": "msgid", "v": "Systeem"}
    return {"t": "person", "v": user.display_name}


def respondent_arg(complaint) -> Any:
    """Whom the complaint is about: a name, a description, or "De organisatie" translated."""
    from .models import RespondentType

    if complaint.respondent_type == RespondentType.ORGANISATION:
        return {"t": "msgid", "v": "De organisatie"}
    if complaint.respondent_id:
        return person_name(complaint.respondent)
    return complaint.respondent_description or ""


def _lazy_msgid(value: Promise) -> str:
    # A gettext_lazy proxy keeps its msgid; any other lazy text is fixed in Dutch.
    func, args = value.__reduce__()[1][:2]  # type: ignore[index]
    if getattr(func, "__name__", "") == "gettext" and len(args) == 1:
        return args[0]
    with translation.override("nl"):
        return str(value)


def _encode(value: Any) -> Any:
    if isinstance(value, Phrase):
        message, args = value.stored()
        return {"t": "phrase", "m": message, "a": args}
    if isinstance(value, Choices) or isinstance(value, Promise):
        return label(value)
    if isinstance(value, (list, tuple)):
        return {"t": "list", "v": [_encode(item) for item in value]}
    if isinstance(value, dict):
        if value.get("t") not in {"msgid", "category", "languages", "day", "moment", "person"}:
            raise TypeError("A phrase argument is text, a number or a marked value.")
        return value
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    if value is None or isinstance(value, (str, int, float)):
        return "" if value is None else value
    raise TypeError(f"A phrase argument cannot be a {type(value).__name__}.")


# --- showing -----------------------------------------------------------------------------


def date_text(value: date | datetime | None, *, with_time: bool = False) -> str:
    """A date written the way the active language writes it (see templatetags/dates.py)."""
    from .templatetags.dates import short_date

    return short_date(value, "time" if with_time else "")


def _decode(value: Any, complaint) -> Any:
    if not isinstance(value, dict):
        return value
    kind, raw = value.get("t"), value.get("v", "")
    if kind == "msgid":
        text = gettext(raw) if raw else ""
        return text.lower() if value.get("lower") else text
    if kind == "category":
        if complaint is None:
            return raw
        language = (translation.get_language() or "nl").split("-")[0]
        return complaint.procedure_version.spec.category_label(raw, language)
    if kind == "languages":
        language = (translation.get_language() or "nl").split("-")[0]
        return raw.get(language) or raw.get("nl") or next(iter(raw.values()), "")
    if kind == "day":
        parsed = parse_date(raw) if raw else None
        return date_text(parsed) if parsed else ""
    if kind == "moment":
        parsed_at = parse_datetime(raw) if raw else None
        if parsed_at is None:
            return ""
        if timezone.is_naive(parsed_at):
            parsed_at = timezone.make_aware(parsed_at)
        return date_text(parsed_at, with_time=True)
    if kind == "list":
        return ", ".join(str(_decode(item, complaint)) for item in raw)
    if kind == "phrase":
        return phrase_render(value.get("m", ""), value.get("a") or {}, complaint=complaint)
    return raw


def phrase_render(message: str, args: dict | None, *, complaint=None) -> str:
    """A stored phrase (message, message_args) in the active language."""
    args = dict(args or {})
    msgid_plural, count = args.pop(PLURAL, ""), args.pop(COUNT, None)
    if msgid_plural:
        text = ngettext(message, msgid_plural, int(count or 0))
    else:
        text = gettext(message)
    values = {name: _decode(value, complaint) for name, value in args.items()}
    if not values:
        return text
    for template in (text, message):
        try:
            return template % values
        except (KeyError, TypeError, ValueError):
            # A translation that lost a placeholder must not hide the event: the source text.
            continue
    return message
