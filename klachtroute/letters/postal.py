"""What a letter on paper adds for a private link: a reader cannot click.

Each live private link in a letter's text is printed as a short address to type and a
QR code to scan, with the organisation's phone number as the way without a computer,
and, where the link or the letter asks for an answer, a reply slip to send back by post.
"""

from dataclasses import dataclass
from io import BytesIO

import segno
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from klachtroute.links.models import Purpose
from klachtroute.links.tokens import link_short_url
from klachtroute.notifications.redact import private_link_urls

# The choices on the reply slip for a link that asks for an answer, as the party's
# answer on the link page offers them; other links need no slip.
REPLY_CHOICES = {
    Purpose.APPROVE_SOLUTION: (
        _("Ik ga akkoord met de voorgestelde oplossing."),
        _("Ik ga niet akkoord met de voorgestelde oplossing, omdat:"),
    ),
    Purpose.RESPOND_FINDINGS: (
        _("Ik ben het eens met de bevindingen; de klacht kan worden afgesloten."),
        _("Ik ben het niet eens met de bevindingen, omdat:"),
    ),
    Purpose.DEFENCE: (_("Mijn reactie op de klacht (verweer):"),),
}

# A status link asks nothing by itself; a letter that sends it to offer the complainant
# the next step asks for an answer: the choices the letter gives (take the step through
# the status page, with its note, or, where the letter offers it, not).
LETTER_REPLY_CHOICES = {
    "no_agreement_notice": (
        _("Ik wil geen beroep instellen; u kunt mijn klacht afsluiten."),
        _("Ik leg mijn klacht voor aan de onafhankelijke derde. Mijn toelichting:"),
    ),
    "director_procedure": (_("Ik leg mijn klacht voor aan de directeur. Mijn toelichting:"),),
}


def reply_choices(purpose: str, kind: str) -> tuple:
    """What the reply slip offers for a link of `purpose` in a letter of `kind`; empty:
    the letter asks no answer and has no slip."""
    if purpose == Purpose.STATUS:
        return LETTER_REPLY_CHOICES.get(kind, ())
    return REPLY_CHOICES.get(purpose, ())


@dataclass(frozen=True)
class PaperLink:
    url: str
    short_address: str
    qr_svg: SafeString
    purpose: str
    reply_choices: tuple


def _qr_svg(url: str) -> SafeString:
    buffer = BytesIO()
    # A quiet zone of four modules, as scanners expect; the letter sizes it (30 mm).
    segno.make(url, error="m").save(
        buffer, kind="svg", border=4, xmldecl=False, omitsize=True, svgclass="qr"
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (segno's own SVG)


def paper_links(body: str, *, language: str, kind: str = "") -> list[PaperLink]:
    """The live private links in a letter's text (a message of `kind`), as they are
    printed on paper."""
    found = []
    for url in dict.fromkeys(private_link_urls(body)):
        short = link_short_url(url, language=language)
        if short is None:
            continue
        link, address = short
        found.append(
            PaperLink(
                url=url,
                short_address=address,
                qr_svg=_qr_svg(url),
                purpose=link.purpose,
                reply_choices=reply_choices(link.purpose, kind),
            )
        )
    return found


def body_for_paper(body: str, links: list[PaperLink]) -> str:
    """The text with each long link replaced by the short address a person can type; a
    link that no longer works (revoked, expired: a letter printed late) by a note that
    says so, never its long address."""
    live = {link.url: link.short_address for link in links}
    for url in dict.fromkeys(private_link_urls(body)):
        body = body.replace(url, live.get(url) or gettext(DEAD_LINK))
    return body


DEAD_LINK = gettext_noop("[deze link werkt niet meer; neem contact met ons op]")
