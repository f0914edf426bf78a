"""Personal API tokens sent as `Authorization: Bearer TOKEN`."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from klachtroute.accounts.models import ApiToken

# Recording every single use would write to the database on each request; once a minute
# is precise enough to see whether a token is still in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """Finds the active token of an active user; anything else is answered with 401.

    With `role`, a valid token of someone without that role is answered with 403 before
    the body is even read.
    """

    openapi_description = "A personal API token: `Authorization: Bearer TOKEN`."

    def __init__(self, *, role: str | None = None, refusal: str = "") -> None:
        super().__init__()
        self.role = role
        self.refusal = refusal

    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        api_token = ApiToken.objects.for_raw(token)
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        user = api_token.user
        if self.role and not user.has_role(self.role):
            raise AuthorizationError(message=str(self.refusal or _("U mag dit niet doen.")))
        request.auth_user = user
        return user
