"""Private-link tokens taken out of message texts that others than the recipient read.

A message to a complainant or respondent carries a private link that lets its holder act
as that party. The dossier, the person export and the staff pages show that a link was
sent (the message says so, and the dossier lists every link with its party, purpose and
dates), never the token that makes it work.
"""

import re

from django.utils.translation import gettext as _

# The path of a private link is `/p/<token>/`, under an optional language prefix
# (`/en/p/…`), with any site address before it.
_LINK = re.compile(r"(?:https?://[^\s/]+)?(?:/[a-z]{2}(?:-[a-z]{2})?)?/p/[^\s/<>\"']+/?")


def link_tokens_redacted(text: str) -> str:
    """`text` with every private link replaced by a note that a link was here."""
    if not text or "/p/" not in text:
        return text
    return _LINK.sub(_("[privélink, niet opgenomen]"), text)


def private_link_urls(text: str) -> list[str]:
    """The private links in a text, as written (for a letter to print them on paper)."""
    if not text or "/p/" not in text:
        return []
    return [match.group(0) for match in _LINK.finditer(text)]
