"""Pages for the complainant, the respondent and the third party, reached through private links.

A link is bound to one complaint, one party and one purpose (see `links.py`). A page acts
only on that complaint and only as that party, through the one entry point of the workflow
(`action_perform`) with the action's one form, as the staff pages and the API do; the page
may only word a field for its reader (labels and help texts). A token that is tampered
with, unknown, expired or revoked gets one friendly page with status 404 that reveals
nothing, and changes nothing.

The token is a password in the address bar, so: no login, but every page is sent with
`Referrer-Policy: strict-origin` (only the site's origin ever leaves in a Referer header,
never the path with the token; unlike `no-referrer` it keeps the Origin header of form posts,
which Django's CSRF check needs), `Cache-Control:
no-store` and `X-Robots-Tag: noindex`; the page loads nothing from other sites; and no log
line written here or by Django's request logging contains the path.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtroute.cases import services
from klachtroute.cases.action_forms import ActionForm, errors_onto_form, form_with_errors
from klachtroute.cases.actions import action_form, action_perform
from klachtroute.cases.deadlines import deadlines_watched
from klachtroute.cases.models import Approval, Findings, Party, Solution
from klachtroute.cases.selectors import first_contact_summary
from klachtroute.cases.uploads import document_response
from klachtroute.cases.workflow import State, TransitionError, actions_for
from klachtroute.intake.ratelimit import client_address, rate_limit_hit
from klachtroute.links.models import PrivateLink, Purpose
from klachtroute.links.tokens import link_resolve
from klachtroute.organisation.selectors import work_calendar_get

from . import selectors
from . import services as portal_services
from .forms import InformationForm, LostLinkForm, SatisfactionForm, WithdrawConfirmForm
from .tasks import status_link_resend_task

logger = logging.getLogger(__name__)

# Which party a link of each purpose can belong to; any other pairing is treated as unknown.
PARTIES_FOR_PURPOSE = {
    Purpose.STATUS: {Party.COMPLAINANT, Party.RESPONDENT},
    Purpose.APPROVE_SOLUTION: {Party.COMPLAINANT, Party.RESPONDENT},
    Purpose.RESPOND_FINDINGS: {Party.COMPLAINANT},
    Purpose.DEFENCE: {Party.RESPONDENT},
    Purpose.THIRD_PARTY: {Party.THIRD_PARTY},
    Purpose.COMPLAINT_COPY: {Party.RESPONDENT},
}

# The state of a complaint in plain words for the complainant: what it means, what comes next.
STATE_TEXTS = {
    State.NEW: (
        gettext_lazy("Wij hebben uw klacht ontvangen en bekijken wie hem gaat behandelen."),
        gettext_lazy(
            "U krijgt een ontvangstbevestiging met de naam van de behandelaar van uw klacht."
        ),
    ),
    State.INADMISSIBLE: (
        gettext_lazy(
            "Wij nemen uw klacht niet in behandeling (niet ontvankelijk). De persoon op wie de "
            "klacht betrekking heeft, geeft u daarover antwoord."
        ),
        gettext_lazy(
            "Bent u het niet eens met deze afhandeling? Dan kunt u de klacht voorleggen aan de "
            "directeur."
        ),
    ),
    State.IN_PROGRESS: (
        gettext_lazy(
            "Uw klacht wordt behandeld. De behandelaar zoekt uit wat er is gebeurd en zoekt met "
            "u naar een oplossing."
        ),
        gettext_lazy("De behandelaar neemt contact met u op."),
    ),
    State.AWAITING_APPROVAL: (
        gettext_lazy(
            "De behandelaar heeft een oplossing voorgesteld. U en de beklaagde hebben die per "
            "e-mail ontvangen."
        ),
        gettext_lazy(
            "Laat via de link in die e-mail weten of u akkoord gaat. Gaan u en de beklaagde "
            "allebei akkoord, dan is uw klacht afgehandeld."
        ),
    ),
    State.FINDINGS_SHARED: (
        gettext_lazy(
            "De behandelaar heeft de uitkomst van het onderzoek en een mogelijke oplossing met "
            "u gedeeld."
        ),
        gettext_lazy(
            "Laat via de link in die e-mail weten of u akkoord gaat. Gaat u akkoord, dan is uw "
            "klacht afgehandeld."
        ),
    ),
    State.NO_AGREEMENT: (
        gettext_lazy("Er is geen overeenstemming bereikt over een oplossing."),
        gettext_lazy(
            "U kunt uw klacht voorleggen aan een onafhankelijke derde. Die geeft een bindend "
            "advies: de organisatie moet dat advies opvolgen."
        ),
    ),
    State.WITH_THIRD_PARTY: (
        gettext_lazy("Uw klacht ligt bij de onafhankelijke derde."),
        gettext_lazy(
            "De onafhankelijke derde geeft een bindend advies. U krijgt dat advies schriftelijk."
        ),
    ),
    State.ADVICE_FOLLOW_UP: (
        gettext_lazy(
            "De onafhankelijke derde heeft een bindend advies gegeven. De organisatie voert het "
            "advies nu uit."
        ),
        gettext_lazy("Als alles is uitgevoerd, is uw klacht afgehandeld."),
    ),
    State.NOT_SOLVED: (
        gettext_lazy("Uw klacht is met het onderzoek niet opgelost."),
        gettext_lazy(
            "U kunt uw klacht voorleggen aan de directeur. Het secretariaat stuurt u daarvoor "
            "de klachtenprocedure."
        ),
    ),
    State.WITH_DIRECTOR: (
        gettext_lazy("De directeur behandelt uw klacht."),
        gettext_lazy(
            "De directeur doet schriftelijk uitspraak, met de redenen. U en de beklaagde krijgen "
            "die uitspraak."
        ),
    ),
    State.AWAITING_DEFENCE: (
        gettext_lazy(
            "De directeur behandelt uw klacht en heeft de beklaagde gevraagd om te reageren "
            "(verweer)."
        ),
        gettext_lazy("Daarna doet de directeur schriftelijk uitspraak, met de redenen."),
    ),
    State.WITH_EXAM_COMMITTEE: (
        gettext_lazy("Uw klacht gaat over een examen en ligt bij de examencommissie."),
        gettext_lazy(
            "De examencommissie doet uitspraak. Tegen die uitspraak is geen beroep mogelijk."
        ),
    ),
    State.SETTLED: (gettext_lazy("Uw klacht is afgehandeld."), ""),
    State.WITHDRAWN: (gettext_lazy("U heeft uw klacht ingetrokken."), ""),
}

# -- The one view ------------------------------------------------------------------------


def link(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return _private(HttpResponseNotAllowed(["GET", "POST"]))
    private_link = link_resolve(token)
    if private_link is None or private_link.party not in PARTIES_FOR_PURPOSE.get(
        private_link.purpose, ()
    ):
        logger.info("Private link refused (unknown, tampered, expired or revoked)")
        return _private(render(request, "portal/not_found.html", status=404))
    PrivateLink.objects.filter(pk=private_link.pk).update(last_used_at=timezone.now())
    logger.info(
        "Private link %s (%s, %s) %s",
        private_link.pk,
        private_link.party,
        private_link.purpose,
        request.method,
    )
    return _private(PAGES[private_link.purpose](request, private_link))


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "strict-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Security-Policy"] = (
        "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    # Django logs every 4xx response with its path, which holds the token; we logged it above.
    response._has_been_logged = True
    return response


# -- Helpers -----------------------------------------------------------------------------


def _page(request, private_link, template: str, context: dict, status: int = 200):
    complaint = private_link.complaint
    return render(
        request,
        template,
        {
            "complaint": complaint,
            "link": private_link,
            "party": private_link.party,
            "page_url": request.path,
            **context,
        },
        status=status,
    )


def _received(request, private_link, *, title: str = "", text: str = "", next_text: str = ""):
    """The party's answer is in: shown after a POST and whenever the link is used again."""
    return _page(
        request,
        private_link,
        "portal/done.html",
        {
            "done_kind": "received",
            "title": title or _("Uw reactie is ontvangen"),
            "text": text,
            "next_text": next_text,
        },
    )


def _gone(request, private_link):
    """The step the link was made for is no longer possible: the complaint moved on."""
    return _page(
        request,
        private_link,
        "portal/done.html",
        {
            "done_kind": "gone",
            "title": _("Deze stap is niet meer nodig"),
            "text": _(
                "Wat via deze link werd gevraagd, kan niet meer: de behandeling van de klacht "
                "is intussen verder gegaan."
            ),
        },
        status=410,
    )


class _Wording:
    """How a link page words an action's fields: labels and help texts, nothing else."""

    def __init__(self, labels: dict | None = None, help_texts: dict | None = None):
        self.kwargs = {"labels": labels or {}, "help_texts": help_texts or {}}


def _link_form(private_link, action: str, data=None, wording: _Wording | None = None, **kwargs):
    return action_form(
        action,
        private_link.complaint,
        None,
        data,
        party=private_link.party,
        **(wording.kwargs if wording else {}),
        **kwargs,
    )


def _link_perform(
    private_link,
    action: str,
    data,
    wording: _Wording | None = None,
    *,
    confirmed: bool = False,
    **kwargs,
):
    """Carry out `action` as the link's party through the one entry point. Returns
    (result, None), or (None, the posted form with why it was refused). `confirmed`: the
    page confirmed a step that closes the complaint or ends the party's right."""
    form_kwargs = {**(wording.kwargs if wording else {}), **kwargs}
    try:
        result = action_perform(
            complaint=private_link.complaint,
            action=action,
            party=private_link.party,
            data=data,
            form_kwargs=form_kwargs,
            confirmed=confirmed,
        )
    except (TransitionError, ValidationError) as exc:
        return None, form_with_errors(
            _link_form(private_link, action, data, wording, **kwargs), exc
        )
    return result, None


DECISION_YES, DECISION_NO = "yes", "no"


def _decide(request, private_link, *, agree: str, disagree: str, wording: _Wording):
    """A yes or no on a proposal: the two buttons send `decision`, which chooses between the
    two actions; a no needs a reason (the service says so, the same on every page).
    Returns (done, form): done is True when the answer was recorded, else the form to show
    (the disagreeing action's form, which holds the reason field)."""
    form = _link_form(private_link, disagree, _posted(request), wording)
    if request.method != "POST":
        return False, form
    decision = request.POST.get("decision")
    if decision not in (DECISION_YES, DECISION_NO):
        form.is_valid()
        form.add_error(None, _("Kies akkoord of niet akkoord."))
        return False, form
    action = agree if decision == DECISION_YES else disagree
    # The agreeing button stands under what agreeing means (the complaint is settled):
    # pressing it is the party's confirmation.
    _result, refused = _link_perform(
        private_link, action, request.POST, wording, confirmed=decision == DECISION_YES
    )
    if refused is None:
        return True, form
    if action == agree:
        # The form shown is the disagreeing one; the refusal of a yes stands above it.
        for error in refused.non_field_errors():
            form.add_error(None, error)
        return False, form
    return False, refused


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _document_download(request, documents) -> HttpResponse | None:
    """The document asked for with `?document=<id>`, as an attachment, when it is one of
    `documents` (the link's complaint's); 404 for any other; None when none is asked for."""
    wanted = request.GET.get("document")
    if not wanted:
        return None
    document = next((d for d in documents if str(d.pk) == wanted), None)
    if document is None:
        return render(request, "portal/not_found.html", status=404)
    response = document_response(document)
    if response is None:
        return render(request, "portal/not_found.html", status=404)
    return response


# -- Approving a solution (LIVP-6, LIVP-7) -----------------------------------------------


def _approval_received(request, private_link, approval: Approval, solution: Solution):
    if approval.decision == Approval.Decision.APPROVED:
        text = _("U bent op %(date)s akkoord gegaan met de oplossing.")
        if solution.status == Solution.Status.APPROVED:
            next_text = _("Beide partijen zijn akkoord. De klacht is afgehandeld.")
        elif solution.status == Solution.Status.PENDING:
            next_text = _("Als ook de andere partij akkoord gaat, is de klacht afgehandeld.")
        else:
            next_text = _(
                "De oplossing is niet door beide partijen aanvaard. Over het vervolg krijgt u "
                "bericht."
            )
    else:
        text = _("U bent op %(date)s niet akkoord gegaan met de oplossing.")
        next_text = _("De behandelaar neemt uw reactie mee. Over het vervolg krijgt u bericht.")
    return _received(
        request,
        private_link,
        text=text % {"date": _when(approval.decided_at)},
        next_text=next_text,
    )


def approve_solution_page(request, private_link):
    complaint = private_link.complaint
    solution = selectors.solution_pending(complaint)
    if solution is None or complaint.state != State.AWAITING_APPROVAL:
        latest = selectors.solution_latest(complaint)
        mine = latest.approvals.filter(party=private_link.party).first() if latest else None
        if mine is None:
            return _gone(request, private_link)
        return _approval_received(request, private_link, mine, latest)
    mine = solution.approvals.filter(party=private_link.party).first()
    if mine is not None:
        return _approval_received(request, private_link, mine, solution)
    done, form = _decide(
        request,
        private_link,
        agree="approve_solution",
        disagree="reject_solution",
        wording=_Wording(
            labels={"reason": _("Waarom gaat u niet akkoord?")},
            help_texts={
                "reason": _(
                    "Verplicht als u niet akkoord gaat. De behandelaar leest uw toelichting."
                )
            },
        ),
    )
    if done:
        solution.refresh_from_db()
        mine = solution.approvals.get(party=private_link.party)
        return _approval_received(request, private_link, mine, solution)
    return _page(
        request,
        private_link,
        "portal/approve_solution.html",
        {"form": form, "solution": solution},
    )


# -- Responding to findings (LSR-6c, LSR-6d, LSR-6h) ------------------------------------


def _findings_received(request, private_link, findings: Findings):
    date = _when(findings.responded_at)
    if findings.response == Findings.Response.AGREED:
        return _received(
            request,
            private_link,
            text=_("U bent op %(date)s akkoord gegaan met de bevindingen.") % {"date": date},
            next_text=_("Het onderzoek is afgesloten en uw klacht is afgehandeld."),
        )
    return _received(
        request,
        private_link,
        text=_("U bent op %(date)s niet akkoord gegaan met de bevindingen.") % {"date": date},
        next_text=_(
            "Het secretariaat stuurt u de klachtenprocedure. Daarin staat hoe u uw klacht aan de "
            "directeur kunt voorleggen."
        ),
    )


def respond_findings_page(request, private_link):
    complaint = private_link.complaint
    findings = selectors.findings_latest(complaint)
    if findings is not None and findings.response:
        return _findings_received(request, private_link, findings)
    if findings is None or complaint.state != State.FINDINGS_SHARED:
        return _gone(request, private_link)
    done, form = _decide(
        request,
        private_link,
        agree="accept_findings",
        disagree="reject_findings",
        wording=_Wording(
            labels={"reason": _("Waarom gaat u niet akkoord?")},
            help_texts={
                "reason": _(
                    "Verplicht als u niet akkoord gaat. Uw toelichting gaat naar het secretariaat."
                )
            },
        ),
    )
    if done:
        findings.refresh_from_db()
        return _findings_received(request, private_link, findings)
    return _page(
        request,
        private_link,
        "portal/respond_findings.html",
        {"form": form, "findings": findings, "judgements": findings.judgements.all()},
    )


# -- Following the complaint: status, messages and what the complainant may do ----------

STATUS_DONE = {
    "withdraw": gettext_lazy("Uw klacht is ingetrokken."),
    "appeal_to_third_party": gettext_lazy("Uw klacht is voorgelegd aan de onafhankelijke derde."),
    "escalate_to_director": gettext_lazy("Uw klacht is voorgelegd aan de directeur."),
}


def _status_wording(action: str) -> _Wording:
    if action == "withdraw":
        return _Wording(labels={"reason": _("Waarom trekt u uw klacht in?")})
    if action == "appeal_to_third_party":
        return _Wording(
            labels={"note": _("Toelichting voor de onafhankelijke derde")},
            help_texts={"note": _("Bijvoorbeeld wat u van de onafhankelijke derde vraagt.")},
        )
    return _Wording(
        labels={"note": _("Toelichting voor de directeur")},
        help_texts={"note": _("Bijvoorbeeld waarom u het niet eens bent met de afhandeling.")},
    )


def _status_form(private_link, action: str, data=None) -> ActionForm:
    return _link_form(private_link, action, data, _status_wording(action), prefix=action)


def _deadlines(complaint) -> list[dict]:
    """The nearest deadline still to be met and, when that is another one, the settlement."""
    watched = sorted(
        (
            state
            for state in deadlines_watched(complaint, timezone.localdate())
            if state.kind.public_label is not None
        ),
        key=lambda state: state.due,
    )
    shown = watched[:1] + [s for s in watched[1:] if s.key == "settle"]
    return [
        {"key": s.key, "label": s.kind.public_label, "date": s.due, "passed": s.overdue}
        for s in shown
    ]


def _information_add(request, complaint, form) -> bool:
    """Add the complainant's information; False (with the errors in the form) if refused."""
    try:
        services.complainant_information_add(
            complaint=complaint,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["files"],
        )
    except ValidationError as exc:
        errors_onto_form(form, exc)
        return False
    return True


def _satisfaction_answer(complaint, form) -> bool:
    try:
        portal_services.satisfaction_answer(complaint=complaint, **form.cleaned_data)
    except ValidationError as exc:
        errors_onto_form(form, exc)
        return False
    return True


def respondent_status_page(request, private_link):
    """The respondent's own page of the complaint: where it stands, who handles it and how
    it ended; nothing to do here (what is asked of them comes with a link of its own), and
    nothing of the complainant's own page (their messages, information, survey)."""
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    complaint = private_link.complaint
    return _page(
        request,
        private_link,
        "portal/respondent_status.html",
        {"deadlines": _deadlines(complaint), "handler": complaint.handler},
    )


def status_page(request, private_link):
    if private_link.party == Party.RESPONDENT:
        return respondent_status_page(request, private_link)
    complaint = private_link.complaint
    allowed = [
        t
        for t in actions_for(None, complaint, party=private_link.party)
        if t.party_page == Purpose.STATUS
    ]
    forms = {t.action: _status_form(private_link, t.action) for t in allowed}
    confirm_form = WithdrawConfirmForm(prefix="withdraw") if "withdraw" in forms else None
    information_form = InformationForm(prefix="information") if complaint.is_open else None
    survey_form = (
        SatisfactionForm(prefix="satisfaction")
        if portal_services.satisfaction_open(complaint)
        else None
    )
    page_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add_information" and information_form is not None:
            information_form = InformationForm(request.POST, request.FILES, prefix="information")
            if information_form.is_valid() and _information_add(
                request, complaint, information_form
            ):
                messages.success(
                    request,
                    _("Dank u wel. Uw informatie is toegevoegd en de behandelaar is ingelicht."),
                )
                return HttpResponseRedirect(request.path, status=303)
        elif action == "satisfaction" and survey_form is not None:
            survey_form = SatisfactionForm(request.POST, prefix="satisfaction")
            if survey_form.is_valid() and _satisfaction_answer(complaint, survey_form):
                messages.success(request, _("Dank u wel voor het beantwoorden van de vragen."))
                return HttpResponseRedirect(request.path, status=303)
        elif action not in forms:
            page_error = _("Deze actie is nu niet mogelijk.")
        else:
            forms[action] = _status_form(private_link, action, request.POST)
            confirmed = True
            if action == "withdraw":
                confirm_form = WithdrawConfirmForm(request.POST, prefix="withdraw")
                confirmed = confirm_form.is_valid()
            if confirmed:
                _result, refused = _link_perform(
                    private_link,
                    action,
                    request.POST,
                    _status_wording(action),
                    # The withdrawal was confirmed with its own checkbox just above.
                    confirmed=action == "withdraw",
                    prefix=action,
                )
                if refused is not None:
                    forms[action] = refused
                else:
                    said = str(STATUS_DONE.get(action, _("Uw verzoek is verwerkt.")))
                    if selectors.link_is_live(private_link.pk):
                        messages.success(request, said)
                        return HttpResponseRedirect(request.path, status=303)
                    return _received(request, private_link, title=said)
            else:
                forms[action].is_valid()  # its own errors too, all at once
    explanation, next_text = STATE_TEXTS.get(complaint.state, ("", ""))
    if complaint.state == State.NOT_SOLVED and complaint.procedure_sent_at:
        next_text = _("U kunt uw klacht voorleggen aan de directeur.")
    if complaint.state == State.INADMISSIBLE and not complaint.inadmissible_answer:
        next_text = _("De persoon op wie de klacht betrekking heeft, geeft u antwoord.")
    return _page(
        request,
        private_link,
        "portal/status.html",
        {
            "explanation": explanation,
            "next_text": next_text,
            "deadlines": _deadlines(complaint),
            "extension": complaint.extensions.order_by("at", "id").last()
            if complaint.is_open
            else None,
            "handler": complaint.handler,
            "sent_messages": selectors.messages_to_complainant(complaint),
            "actions": [(t, forms[t.action]) for t in allowed],
            "confirm_form": confirm_form,
            "page_error": page_error,
            "information_form": information_form,
            "information_added": selectors.information_added(complaint),
            "survey_form": survey_form,
            "upload_max": settings.UPLOAD_MAX_BYTES,
        },
    )


# -- The respondent's defence (LSR-6e) ---------------------------------------------------


def _defence_received(request, private_link, defence_request):
    date = _when(defence_request.submitted_at)
    return _received(
        request,
        private_link,
        title=_("Uw verweer is ontvangen"),
        text=_("Uw verweer is op %(date)s ontvangen.") % {"date": date},
        next_text=_("De directeur betrekt uw verweer bij de uitspraak over de klacht."),
    )


def defence_page(request, private_link):
    complaint = private_link.complaint
    defence_request = selectors.defence_request_open(complaint)
    if defence_request is None or complaint.state != State.AWAITING_DEFENCE:
        answered = selectors.defence_request_answered(complaint)
        if answered is not None:
            return _defence_received(request, private_link, answered)
        return _gone(request, private_link)
    wording = _Wording(
        labels={"defence": _("Uw verweer")},
        help_texts={
            "defence": _(
                "Schrijf uw reactie op de klacht. De directeur betrekt die bij de uitspraak."
            )
        },
    )
    form = _link_form(private_link, "submit_defence", None, wording)
    if request.method == "POST":
        _result, refused = _link_perform(private_link, "submit_defence", request.POST, wording)
        if refused is None:
            defence_request.refresh_from_db()
            return _defence_received(request, private_link, defence_request)
        form = refused
    return _page(
        request,
        private_link,
        "portal/defence.html",
        {"form": form, "defence_request": defence_request},
    )


# -- The independent third party's binding advice (LIVP-11) ------------------------------


def _advice_received(request, private_link, ruling):
    date = _when(ruling.decided_at)
    return _received(
        request,
        private_link,
        title=_("Uw bindend advies is vastgelegd"),
        text=_("Het bindend advies is op %(date)s vastgelegd.") % {"date": date},
        next_text=_(
            "De klager ontvangt het advies schriftelijk. De organisatie houdt bij wat het advies "
            "van haar vraagt, tot alles is uitgevoerd."
        ),
    )


def third_party_page(request, private_link):
    complaint = private_link.complaint
    if complaint.state != State.WITH_THIRD_PARTY:
        ruling = selectors.binding_advice_latest(complaint)
        if ruling is not None:
            return _advice_received(request, private_link, ruling)
        return _gone(request, private_link)
    # What the third party needs to advise: the complaint's documents, through this link.
    documents = list(complaint.documents.all())
    download = _document_download(request, documents)
    if download is not None:
        return download
    wording = _Wording(
        labels={"follow_ups": _("Wat moet de organisatie doen?")},
        help_texts={
            "advice": _("Uw advies met de motivering. De organisatie ontvangt het ook."),
            "follow_ups": _(
                "Eén punt per regel. De organisatie houdt bij of elk punt is uitgevoerd. Laat "
                "leeg als de organisatie niets hoeft te doen: dan is de klacht met uw advies "
                "afgehandeld."
            ),
        },
    )
    form = _link_form(private_link, "record_binding_advice", None, wording)
    if request.method == "POST":
        # The button stands under what the advice means (binding; without points it settles
        # the complaint): pressing it is the third party's confirmation.
        ruling, refused = _link_perform(
            private_link, "record_binding_advice", request.POST, wording, confirmed=True
        )
        if refused is None:
            return _advice_received(request, private_link, ruling)
        form = refused
    appeal = selectors.third_party_appeal_latest(complaint)
    return _page(
        request,
        private_link,
        "portal/third_party.html",
        {
            "form": form,
            "appeal": appeal,
            "appeal_note": (appeal.after or {}).get("note", "") if appeal else "",
            "first_contact": first_contact_summary(complaint, timezone.localdate()),
            "calendar": work_calendar_get(),
            "solutions": selectors.solutions_with_approvals(complaint),
            "information": selectors.information_added(complaint),
            "documents": documents,
        },
    )


# -- The respondent's copy of the complaint and its documents (AWB-9:9) ------------------


def complaint_copy_page(request, private_link):
    documents = list(private_link.complaint.documents.all())
    download = _document_download(request, documents)
    if download is not None:
        return download
    return _page(request, private_link, "portal/complaint_copy.html", {"documents": documents})


PAGES = {
    Purpose.STATUS: status_page,
    Purpose.APPROVE_SOLUTION: approve_solution_page,
    Purpose.RESPOND_FINDINGS: respond_findings_page,
    Purpose.DEFENCE: defence_page,
    Purpose.THIRD_PARTY: third_party_page,
    Purpose.COMPLAINT_COPY: complaint_copy_page,
}


# -- A lost status link ------------------------------------------------------------------

LOST_LINK_LIMIT = 5  # requests per hour, per IP address and per e-mail address
LOST_LINK_WINDOW = 3600


def _over_limit(kind: str, value: str) -> bool:
    """Count one request for `value` (an IP address or an e-mail address) with the public
    form's rate limiter; True once over the limit this hour."""
    result = rate_limit_hit(
        scope=f"lost-link-{kind}",
        address=value.lower(),
        limit=LOST_LINK_LIMIT,
        window=LOST_LINK_WINDOW,
    )
    return not result.allowed


def lost_link(request):
    """Ask for a new status link by e-mail address and complaint number.

    The answer is the same page, with the same status, whether or not the two belong to a
    complaint; and the request does the same work either way: it only enqueues a task, and
    the worker looks the complaint up and sends the link (`status_link_resend_task`). So
    neither the page nor its response time tells anyone whether a complaint exists."""
    if request.method not in ("GET", "HEAD", "POST"):
        return _private(HttpResponseNotAllowed(["GET", "POST"]))
    form = LostLinkForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ip = client_address(request)
        email = form.cleaned_data["email"]
        limited = _over_limit("ip", ip) | _over_limit("email", email)
        if limited:
            logger.warning("Lost-link requests over the limit")
            return _private(
                render(
                    request, "portal/lost_link.html", {"form": form, "limited": True}, status=429
                )
            )
        status_link_resend_task.enqueue(email, form.cleaned_data["number"])
        return _private(render(request, "portal/lost_link.html", {"sent": True}))
    return _private(render(request, "portal/lost_link.html", {"form": form}))


def csrf_failure(request, reason: str = ""):
    """A form whose CSRF check failed (an old page, cookies off): a kind page, nothing changed."""
    logger.warning("Form refused by the CSRF check: %s", reason)
    # Portal pages keep their own look; any other page gets the site's.
    match = getattr(request, "resolver_match", None)
    on_portal = match is not None and match.view_name == "portal:link"
    template = "portal/form_expired.html" if on_portal else "errors/csrf_failure.html"
    return _private(render(request, template, {"page_url": request.path}, status=403))
