"""Who acted through a private link is named in the language in use, not the one at import."""

from django.utils import translation

from klachtroute.cases.models import Party
from klachtroute.cases.services.common import who


def test_a_party_acting_through_a_link_is_named_in_the_language_in_use():
    with translation.override("en"):
        assert who(None, Party.COMPLAINANT) == "Complainant (via private link)"
    with translation.override("nl"):
        assert who(None, Party.COMPLAINANT) == "Klager (via privélink)"
