"""What every step shares: locking the complaint, checking the step, moving its state,
and telling the people involved."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from klachtroute.accounts.models import User
from klachtroute.links.models import Purpose
from klachtroute.links.tokens import NewLink, link_create, links_create_many
from klachtroute.notifications.services import NewMessage, message_send_to, messages_send_many
from klachtroute.organisation.selectors import organisation_get

from ..deadlines import next_due
from ..events import event_record
from ..models import Complaint, Party, RespondentType
from ..phrases import Phrase
from ..selectors import complaints_visible_to, complaints_visible_to_each
from ..workflow import (
    CLOSED,
    EventKind,
    Transition,
    TransitionError,
    target_check,
    transition_check,
)

# Lazy: translated in the language of the request or message that shows it, not at import.
PARTY_LABELS: dict[str, Promise] = {
    Party.COMPLAINANT: gettext_lazy("Klager (via privélink)"),
    Party.RESPONDENT: gettext_lazy("Beklaagde (via privélink)"),
    Party.THIRD_PARTY: gettext_lazy("Onafhankelijke derde (via privélink)"),
}


def step_begin(
    *,
    complaint: Complaint,
    actor: User | None,
    action: str,
    party: str | None = None,
    watcher: bool = False,
) -> tuple[Complaint, Transition]:
    """Lock the complaint and check that this person may take this step now. The locked
    complaint remembers the step, so that `state_move` refuses a state the step does not
    list."""
    locked = (
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the joins.
        Complaint.objects.select_for_update(of=("self",))
        .select_related("procedure_version__procedure", "handler", "respondent", "course")
        .get(pk=complaint.pk)
    )
    transition = transition_check(actor, locked, action, party, watcher=watcher)
    locked._step = transition  # type: ignore[attr-defined]  # the step lives on this locked instance only
    return locked, transition


def text_required(value: str, field: str, message: str) -> str:
    """The stripped text, or a ValidationError on `field` when it is empty."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def who(actor: User | None, party: str | None) -> str:
    if party is not None:
        return str(PARTY_LABELS.get(party, party))
    return ""


def record(
    complaint: Complaint,
    *,
    actor: User | None,
    party: str | None,
    kind: EventKind,
    summary: Phrase,
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str = "",
):
    return event_record(
        complaint=complaint,
        actor=actor,
        actor_label_override=actor_label or who(actor, party),
        kind=kind,
        summary=summary,
        before=before,
        after=after,
    )


def state_move(
    complaint: Complaint,
    target: str,
    *,
    actor: User | None,
    party: str | None = None,
    kind: EventKind,
    summary: Phrase,
    outcome: str = "",
    after: dict | None = None,
) -> None:
    """Change the state, close the complaint when the target is a closed state, and record it.
    Only within a step (`step_begin`) and only to a state its transition lists."""
    step = getattr(complaint, "_step", None)
    if step is None:
        raise TransitionError(_("Een status verandert alleen binnen een stap van de procedure."))
    target_check(step, complaint, target)
    before = {"state": complaint.state}
    complaint.state = target
    if target in CLOSED:
        complaint.settled_at = timezone.now()
        complaint.outcome = outcome
    complaint.next_due = next_due(complaint)
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=party,
        kind=kind,
        summary=summary,
        before=before,
        after={"state": target, **({"outcome": outcome} if outcome else {}), **(after or {})},
    )


def link_days(complaint: Complaint) -> int:
    return complaint.procedure_version.spec.link_days()


def context_for(complaint: Complaint | None, **extra) -> dict:
    """What every message's text may use; `organisation=` saves reading it again."""
    organisation = extra.pop("organisation") if "organisation" in extra else organisation_get()
    return {
        "complaint": complaint,
        "organisation": organisation,
        "site_url": settings.SITE_URL,
        **extra,
    }


def tell_complainant(complaint: Complaint, key: str, *, purpose: str | None = None, **extra):
    """A message to the complainant, with a private link for `purpose` when given."""
    link = None
    if purpose:
        link = link_create(**_complainant_link(complaint, purpose)._asdict())
    return message_send_to(**_complainant_message(complaint, key, link, extra)._asdict())


def complainants_tell_many(
    complaints: list[Complaint], key: str, *, purpose: str | None = None, **extra
) -> list:
    """`tell_complainant` for each complaint, in a constant number of queries however many:
    the links are inserted at once, the messages at once, with one delivery task."""
    links: list[str | None] = [None] * len(complaints)
    if purpose:
        links = list(links_create_many(items=[_complainant_link(c, purpose) for c in complaints]))
    extra.setdefault("organisation", organisation_get())
    return messages_send_many(
        items=[
            _complainant_message(complaint, key, link, extra)
            for complaint, link in zip(complaints, links, strict=True)
        ]
    )


def _complainant_link(complaint: Complaint, purpose: str) -> NewLink:
    return NewLink(
        complaint=complaint,
        party=Party.COMPLAINANT,
        purpose=purpose,
        days=link_days(complaint),
        language=complaint.complainant_language,
    )


def _complainant_message(complaint: Complaint, key: str, link, extra: dict) -> NewMessage:
    return NewMessage(
        key=key,
        context=context_for(
            complaint,
            link=link,
            recipient_name=complaint.complainant_name,
            recipient_party=Party.COMPLAINANT,
            **extra,
        ),
        complaint=complaint,
        email=complaint.complainant_email,
        name=complaint.complainant_name,
        postal_address=complaint.complainant_address,
        language=complaint.complainant_language,
    )


def record_url(complaint: Complaint, language: str = "nl") -> str:
    """The full address of the complaint's record page, in the reader's language."""
    with translation.override(language):
        return site_url(reverse("cases:detail", kwargs={"number": complaint.number}))


def respondent_status_link(complaint: Complaint, language: str = "nl") -> str:
    """A private link to the respondent's own page of the complaint: where it stands and
    how it ended. A respondent reads the record page only when asked for a defence; this
    page they can always open."""
    return link_create(
        complaint=complaint,
        party=Party.RESPONDENT,
        purpose=Purpose.STATUS,
        days=link_days(complaint),
        language=language,
    )


def staff_page_url(
    complaint: Complaint, user, *, language: str = "nl", link=None, visible: bool | None = None
):
    """The page about `complaint` that this member of staff can open, and the line that
    offers it in a message: its record page when they may see it; for the respondent who
    may not, their own link page (unless the message already carries a private link of
    theirs); otherwise nothing (the message names the complaint without a link).
    `visible`: whether they may see it, when the caller asked already."""
    if visible is None:
        visible = complaints_visible_to(user).filter(pk=complaint.pk).exists()
    if visible:
        return record_url(complaint, language), ""
    if link is None and complaint.respondent_id is not None and complaint.respondent_id == user.pk:
        return respondent_status_link(complaint, language), RESPONDENT_LINE
    return "", ""


RESPONDENT_LINE = gettext_noop("Bekijk de klacht via uw persoonlijke link: %(url)s")


def tell_user(complaint: Complaint | None, user, key: str, *, link=None, **extra):
    """A message to a member of staff; about a complaint, it links to a page about it that
    this person can open (see `staff_page_url`)."""
    language = user.preferred_language or "nl"
    url = line = ""
    if complaint is not None:
        url, line = staff_page_url(complaint, user, language=language, link=link)
    return message_send_to(
        **_user_message(complaint, user, key, url, {"link": link, **extra}, line)._asdict()
    )


def users_tell_many(items: list[tuple[Complaint | None, User, str, dict]]) -> list:
    """`tell_user` for each (complaint or None, person, message key, context), in a constant
    number of queries however many (the people's right to see the complaints asked at once,
    see `complaints_visible_to_each`; the messages inserted at once, with one delivery
    task)."""
    if not items:
        return []
    visible = complaints_visible_to_each(
        (user, complaint.pk) for complaint, user, _k, _e in items if complaint is not None
    )
    organisation = organisation_get()
    messages = []
    for complaint, user, key, extra in items:
        url = line = ""
        if complaint is not None:
            url, line = staff_page_url(
                complaint,
                user,
                language=user.preferred_language or "nl",
                visible=(user.pk, complaint.pk) in visible,
            )
        context = {"link": None, "organisation": organisation, **extra}
        messages.append(_user_message(complaint, user, key, url, context, line))
    return messages_send_many(items=messages)


def _user_message(
    complaint: Complaint | None, user, key: str, url: str, extra: dict, line: str = ""
):
    language = user.preferred_language or "nl"
    return NewMessage(
        key=key,
        context=context_for(
            complaint,
            recipient_name=user.display_name,
            # Templates offer `record_url` as the complaint's page in Klachtroute.
            record_url="" if line else url,
            **extra,
        ),
        complaint=complaint,
        email=user.email,
        name=user.display_name,
        language=language,
        record_url=url,
        record_line=line,
    )


def directors():
    return User.objects.filter(is_active=True, is_director=True).order_by("pk")


def secretariat():
    return User.objects.filter(is_active=True, is_secretariat=True).order_by("pk")


def respondent_people(complaint: Complaint, *, all_directors: list | None = None) -> list:
    """Who answers for the respondent: the person, or the director for the organisation
    (`all_directors`: the directors, when they were read already)."""
    if complaint.respondent_type == RespondentType.PERSON and complaint.respondent_id:
        return [complaint.respondent]
    return list(directors()) if all_directors is None else all_directors


def tell_respondent(complaint: Complaint, key: str, *, purpose: str | None = None, **extra):
    link = None
    if purpose:
        link = link_create(
            complaint=complaint, party=Party.RESPONDENT, purpose=purpose, days=link_days(complaint)
        )
    return [
        tell_user(complaint, person, key, link=link, recipient_party=Party.RESPONDENT, **extra)
        for person in respondent_people(complaint)
    ]


def tell_involved(
    complaint: Complaint,
    key: str,
    *,
    actor: User | None = None,
    handler_too: bool = True,
    respondent_too: bool = True,
    secretariat_too: bool = False,
    directors_too: bool = False,
    exclude: tuple = (),
    **extra,
) -> list:
    """Tell the people a step of the complainant concerns: the handler, the respondent (the
    person, or the director for the organisation) and, when asked, the secretariat and the
    directors; each once, not the person who recorded the step, and only by e-mail (a
    notice to staff is not a letter)."""
    handler = complaint.handler
    people: list[User] = [handler] if handler_too and handler is not None else []
    if respondent_too and complaint.respondent_type != RespondentType.UNKNOWN:
        people += respondent_people(complaint)
    if secretariat_too:
        people += list(secretariat())
    if directors_too:
        people += list(directors())
    told, messages = {person.pk for person in exclude}, []
    for person in people:
        if person.pk in told or not person.is_active or not person.email:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        told.add(person.pk)
        messages.append(tell_user(complaint, person, key, **extra))
    return messages


def site_url(path: str) -> str:
    return settings.SITE_URL + path
