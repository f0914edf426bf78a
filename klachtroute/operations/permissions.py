"""Who may do what: the one table of role × page/action.

`URL_PERMISSIONS` names every URL pattern of the site (by URL name; the admin as one row
`admin:*`) and says for each role whether it is let in ("allow") or refused ("deny": 403,
404, 401 for the API, or a redirect to the login page for someone not logged in). A complaint
a person may not see always answers 404. `ACTION_PERMISSIONS` does the same for the workflow
actions, generated from `klachtroute.cases.workflow.TRANSITIONS`.

tests/test_permissions.py walks every URL and API operation for every role against this
table and fails for a URL without an entry. docs/permissions.md is generated from it:

    .venv/bin/python -m klachtroute.operations.permissions > docs/permissions.md
"""

from klachtroute.cases.workflow import TRANSITIONS

ALLOW = "allow"
DENY = "deny"

# The roles, as seen from one prepared complaint ("the complaint") in a LIVP procedure.
ROLES: dict[str, str] = {
    "anonymous": "Anonymous visitor",
    "complainant": "Complainant (private link)",
    "secretariat": "Secretariat",
    "handler": "Assigned handler",
    "other_handler": "Other handler (trainer, not involved)",
    "course_trainer": "Trainer of the course (not handler)",
    "respondent": "Respondent (logged in, no defence asked)",
    "director": "Director",
    "exam_committee": "Exam committee",
    "third_party": "Third party (private link)",
    "administrator": "Administrator (is_staff, superuser)",
}

EVERYONE = frozenset(ROLES)
LOGGED_IN = frozenset(ROLES) - {"anonymous", "complainant", "third_party"}
SEES_COMPLAINT = frozenset({"secretariat", "handler", "director"})


def _row(allowed) -> dict[str, str]:
    allowed = set(allowed)
    unknown = allowed - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    return {role: ALLOW if role in allowed else DENY for role in ROLES}


# URL name -> (method used to check it, address, note, roles allowed).
_URLS: dict[str, tuple[str, str, str, set]] = {
    "admin:*": (
        "GET",
        "/beheer/…",
        "Django admin; others go to the admin login",
        {"administrator"},
    ),
    "set_language": ("POST", "/i18n/setlang/", "Language switch", EVERYONE),
    "health": (
        "GET",
        "/gezond/",
        "Health check: database and the age of the oldest waiting message and task",
        EVERYONE,
    ),
    # API (Bearer token; the links' parties have no token)
    "api-v1:api-root": ("GET", "/api/v1/", "API root: 404 for everyone", set()),
    "api-v1:openapi-json": ("GET", "/api/v1/openapi.json", "API schema, public", EVERYONE),
    "api-v1:openapi-view": ("GET", "/api/v1/docs", "API documentation, public", EVERYONE),
    "api-v1:complaint_list": (
        "GET",
        "/api/v1/complaints",
        "Lists only the complaints the caller may see",
        LOGGED_IN,
    ),
    "api-v1:complaint_create": (
        "POST",
        "/api/v1/complaints",
        "Register a complaint",
        {"secretariat"},
    ),
    "api-v1:complaint_detail": (
        "GET",
        "/api/v1/complaints/{number}",
        "complaints_visible_to",
        SEES_COMPLAINT,
    ),
    "api-v1:report_indicators": (
        "GET",
        "/api/v1/reports/indicators",
        "Indicators of the annual report",
        {"secretariat", "director"},
    ),
    "api-v1:complaint_action": (
        "POST",
        "/api/v1/complaints/{number}/actions/extend",
        "Visible and allowed by TRANSITIONS (checked with `extend`)",
        {"secretariat", "handler"},
    ),
    # Accounts
    "accounts:login": ("GET", "/inloggen/", "Logged-in people are sent on", EVERYONE),
    "accounts:two_factor_verify": ("GET", "/inloggen/code/", "", LOGGED_IN),
    "accounts:logout": ("POST", "/uitloggen/", "", EVERYONE),
    "accounts:account": ("GET", "/account/", "Own account", LOGGED_IN),
    "accounts:logout_everywhere": ("POST", "/account/overal-uitloggen/", "", LOGGED_IN),
    "accounts:api_tokens": ("POST", "/account/api-tokens/", "Own tokens only", LOGGED_IN),
    "accounts:role_changes": ("GET", "/rollen/wijzigingen/", "", {"director"}),
    "accounts:two_factor_setup": ("GET", "/account/tweestapsverificatie/", "", LOGGED_IN),
    "accounts:two_factor_qr": ("GET", "/account/tweestapsverificatie/qr.svg", "", LOGGED_IN),
    # Intake
    "intake:complaint_form": ("GET", "/klacht/", "Public complaint form", EVERYONE),
    "intake:complaint_received": (
        "GET",
        "/klacht/ontvangen/{token}/",
        "Whoever holds the signed 24-hour token; a tampered token is 404",
        EVERYONE,
    ),
    "intake:register": ("GET", "/registreren/", "Registration by the secretariat", {"secretariat"}),
    "intake:mail_list": ("GET", "/e-mail/", "Mail from the complaint mailbox", {"secretariat"}),
    "intake:mail_detail": (
        "GET",
        "/e-mail/{mail_id}/",
        "Complete and register, or reject as not a complaint",
        {"secretariat"},
    ),
    "intake:mail_original": ("GET", "/e-mail/{mail_id}/origineel.eml", "", {"secretariat"}),
    # Cases
    "cases:worklist": ("GET", "/werk/", "Lists only visible complaints", LOGGED_IN),
    "cases:detail": ("GET", "/zaken/{number}/", "complaints_visible_to", SEES_COMPLAINT),
    "letters:dossier_pdf": ("GET", "/zaken/{number}/dossier.pdf", "", SEES_COMPLAINT),
    "letters:dossier_zip": ("GET", "/zaken/{number}/dossier.zip", "", SEES_COMPLAINT),
    "cases:document_download": (
        "GET",
        "/zaken/{number}/documenten/{document_id}/",
        "",
        SEES_COMPLAINT,
    ),
    "cases:acknowledgement_letter": (
        "GET",
        "/zaken/{number}/ontvangstbevestiging/",
        "Only for a letter acknowledgement",
        SEES_COMPLAINT,
    ),
    "cases:action": (
        "POST",
        "/zaken/{number}/acties/extend/",
        "Visible and allowed by TRANSITIONS (checked with `extend`)",
        {"secretariat", "handler"},
    ),
    "cases:assign_handler": ("POST", "/zaken/{number}/behandelaar/", "", {"secretariat"}),
    "cases:correct_received_at": ("POST", "/zaken/{number}/ontvangstdatum/", "", {"secretariat"}),
    "privacy:legal_hold": (
        "POST",
        "/zaken/{number}/bewaarplicht/",
        "",
        {"secretariat", "director"},
    ),
    "portal:link_revoke": (
        "POST",
        "/zaken/{number}/links/{link_id}/intrekken/",
        "Revokes one private link of a complaint",
        {"secretariat"},
    ),
    "privacy:anonymised_summary": ("GET", "/zaken/{number}/samenvatting/", "", {"secretariat"}),
    "privacy:retention_preview": (
        "GET",
        "/bewaartermijn/",
        "Numbers and dates only",
        {"secretariat", "director", "administrator"},
    ),
    "measures:overview": (
        "GET",
        "/maatregelen/",
        "Lists only own measures (all for sec./dir.)",
        LOGGED_IN,
    ),
    "measures:update": (
        "GET",
        "/maatregelen/{measure_id}/",
        "Owner (here: the handler), secretariat, director",
        SEES_COMPLAINT,
    ),
    "privacy:person_export": ("GET", "/personen/export/", "AVG export", {"secretariat"}),
    "privacy:person_export_json": ("GET", "/personen/export.json", "", {"secretariat"}),
    "privacy:person_export_pdf": ("GET", "/personen/export.pdf", "", {"secretariat"}),
    # Notifications and letters
    "notifications:sent": (
        "GET",
        "/berichten/",
        "The whole outbox; addresses and subjects only with sight of the complaint",
        {"secretariat", "administrator"},
    ),
    "notifications:detail": (
        "GET",
        "/berichten/{message_id}/",
        "Any message; its address, subject, text and error only with sight of its complaint",
        {"secretariat", "administrator"},
    ),
    "notifications:retry": ("POST", "/berichten/{message_id}/opnieuw/", "", {"secretariat"}),
    "letters:to_post": ("GET", "/post/", "", {"secretariat"}),
    "letters:pdf": (
        "GET",
        "/post/{message_id}/pdf/",
        "Message of a visible complaint",
        SEES_COMPLAINT,
    ),
    "letters:mark_posted": ("POST", "/post/{message_id}/verstuurd/", "", {"secretariat"}),
    # Private links
    "portal:link": (
        "GET",
        "/p/{token}/",
        "Own link only; bound to one complaint, party and purpose; any other token is 404",
        {"complainant", "third_party"},
    ),
    "portal:lost_link": ("GET", "/klacht/link-kwijt/", "Public; same answer either way", EVERYONE),
    "intake:regulation": ("GET", "/klachtenregeling/", "Public", EVERYONE),
    "intake:regulation_pdf": ("GET", "/klachtenregeling/pdf/", "Public", EVERYONE),
    # Reports
    "reports:annual": ("GET", "/jaarverslag/", "", {"secretariat", "director"}),
    "reports:annual_csv": ("GET", "/jaarverslag/csv/", "", {"secretariat", "director"}),
    "reports:annual_xlsx": ("GET", "/jaarverslag/xlsx/", "", {"secretariat", "director"}),
    "reports:annual_pdf": ("GET", "/jaarverslag/pdf/", "", {"secretariat", "director"}),
    "reports:trainers": ("GET", "/jaarverslag/trainers/", "", {"secretariat", "director"}),
    "reports:trainers_pdf": ("GET", "/jaarverslag/trainers/pdf/", "", {"secretariat", "director"}),
    "reports:register": (
        "GET",
        "/jaarverslag/register/",
        "Offered from the annual report where the procedure keeps a yearly register",
        {"secretariat", "director"},
    ),
    "reports:register_pdf": (
        "GET",
        "/jaarverslag/register/pdf/",
        "",
        {"secretariat", "director"},
    ),
    "reports:compliance": (
        "GET",
        "/naleving/",
        "Links only complaints the viewer may see",
        {"secretariat", "director"},
    ),
    "reports:compliance_csv": ("GET", "/naleving/csv/", "", {"secretariat", "director"}),
    "reports:compliance_pdf": ("GET", "/naleving/pdf/", "", {"secretariat", "director"}),
}

URL_METHODS: dict[str, str] = {name: spec[0] for name, spec in _URLS.items()}
URL_ADDRESSES: dict[str, str] = {name: spec[1] for name, spec in _URLS.items()}
URL_NOTES: dict[str, str] = {name: spec[2] for name, spec in _URLS.items()}
URL_PERMISSIONS: dict[str, dict[str, str]] = {name: _row(spec[3]) for name, spec in _URLS.items()}

# Workflow actions: who may take them at all (the state, the procedure's features and the
# guards decide further), read from the transition table. Staff must also see the complaint;
# link parties act on their link's complaint. The respondent acts logged in (`respondent`) or
# through a link (party).
ACTION_PERMISSIONS: dict[str, dict[str, str]] = {
    t.action: _row({r for r in t.roles if r in ROLES} | set(t.parties)) for t in TRANSITIONS
}

# A section of its own, written by hand: what the outbox shows to whom.
MESSAGES_AND_ADMINISTRATORS = """\
Administrators configure; they do not read complaints (LIVP-1: the complaint is treated
confidentially). The rule is `user_may_read_message` in `klachtroute/notifications/selectors.py`:

- Whoever may see a message's complaint (`complaints_visible_to`: the secretariat, the
  director, its handler …) reads its address, recipient's name, subject, text and last
  error. A message that belongs to no complaint (the weekly digest, measures reminders)
  is read by the secretariat and the director only.
- Everyone else who may open `/berichten/` (administrators, superusers) sees of each
  message only its kind, the role of its recipient (complainant, respondent, handler, a
  staff role, the third party, by post), its complaint number, status, attempts and
  dates. The same holds for the outbox in `/beheer/`, whose search then looks only at
  the complaint number (a search by address would tell whether someone complained).
- No page, dossier or export shows a working private link: where a message held one, it
  says "[privélink, niet opgenomen]"; the dossier lists each link sent with its party,
  purpose and dates. Only the recipient's own mail (and a letter to post) holds the link.
- An administrator who should read complaints needs a complaint-handling role; giving
  oneself one is recorded and shown to the director.
"""

OPEN_QUESTIONS = """\
1. *Decided:* administrators do not read the outbox; see "Messages and administrators".
2. **The secretariat and the director see every complaint** (`sees_all_complaints`),
   also complaints about themselves; there is no exclusion for a director or secretary
   who is the respondent.
3. **The complaint-received page** (`/klacht/ontvangen/<token>/`) shows the complaint to
   whoever holds the signed token for 24 hours, without login. It is meant for the
   submitter's browser only; it ends up in the browser history.
4. **A respondent** sees a complaint only once the director asked for a defence (LSR-6e);
   in a LIVP complaint they never see it logged in, only through an approval link.
5. **Trainers of the complainant's course** and other trainers see nothing of a complaint
   they do not handle, but `/werk/`, `/maatregelen/` and the API list are open to every
   account (empty for them).
"""


def _mark(value: str) -> str:
    return "✅" if value == ALLOW else "—"


def markdown() -> str:
    """docs/permissions.md, generated from the tables above."""
    roles = list(ROLES)
    head = "| " + " | ".join(["Page / action", "Method", *[ROLES[r] for r in roles]]) + " |"
    rule = "|" + "---|" * (len(roles) + 2)
    lines = [
        "# Who may do what",
        "",
        "Generated from `klachtroute/operations/permissions.py`; do not edit by hand:",
        "`.venv/bin/python -m klachtroute.operations.permissions > docs/permissions.md`.",
        "tests/test_permissions.py checks every URL pattern and API operation for every role",
        "against this table, and fails for a URL pattern that has no row.",
        "",
        "✅ = allowed; — = refused: 404 for a complaint (or a private link) one may not see,",
        "403 for a page of another role, 401 for the API without a token, and a redirect to",
        "the login page for someone not logged in (the admin: to the admin login).",
        "",
        "The roles are seen from one complaint in a LIVP procedure, in progress, handled by",
        "the assigned handler. Lists (`/werk/`, `/maatregelen/`, the API list) are open but",
        "show only what `complaints_visible_to` allows.",
        "",
        "## Pages and API operations",
        "",
        head,
        rule,
    ]
    for name, row in URL_PERMISSIONS.items():
        label = f"`{name}` {URL_ADDRESSES[name]}"
        if URL_NOTES[name]:
            label += f" — {URL_NOTES[name]}"
        lines.append(
            "| " + " | ".join([label, URL_METHODS[name], *[_mark(row[r]) for r in roles]]) + " |"
        )
    lines += [
        "",
        "## Workflow actions",
        "",
        "From `TRANSITIONS` in `klachtroute/cases/workflow.py` (roles and parties). Whether",
        "the action is open now also depends on the state, the procedure and its guards;",
        "staff must also be able to see the complaint. The respondent acts logged in or",
        "through a private link.",
        "",
        "| " + " | ".join(["Action", *[ROLES[r] for r in roles]]) + " |",
        "|" + "---|" * (len(roles) + 1),
    ]
    for action, row in ACTION_PERMISSIONS.items():
        lines.append("| " + " | ".join([f"`{action}`", *[_mark(row[r]) for r in roles]]) + " |")
    lines += ["", "## Messages and administrators", "", MESSAGES_AND_ADMINISTRATORS]
    lines += ["## Open questions", "", OPEN_QUESTIONS]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
