"""How the API answers when something is wrong: always JSON, bad input always 422.

Error bodies:
- 401, 403, 404, 409, 413: {"detail": "message"}
- 422: {"detail": "message", "errors": [{"field", "loc", "message", "type"}, ...]}
"""

import json
import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from klachtroute.cases.workflow import TransitionError

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"

# The registration service's argument names as API field paths, so that its error lands on
# the field the client sent.
REGISTRATION_FIELDS = {
    "complainant_name": "complainant.name",
    "complainant_email": "complainant.email",
    "complainant_phone": "complainant.phone",
    "complainant_address": "complainant.address",
    "complainant_language": "complainant.language",
    "representative_name": "complainant.representative",
    "respondent": "respondent_id",
}


class MalformedBodyError(ValueError):
    """The request body is not JSON."""


class JsonParser(Parser):
    def parse_body(self, request):
        try:
            return json.loads(request.body)
        except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, absurd nesting
            raise MalformedBodyError(str(exc)[:200]) from exc


class ApiValidationError(Exception):
    """Field errors already in the API's shape (see `field_error`); answered with 422."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def validation_errors(
    error: DjangoValidationError, *, fields: dict[str, str] | None = None
) -> list[dict]:
    """The one adapter from a Django ValidationError (an action's form, a service, a view's
    own check) to the API's field errors, one entry per message; the pages use its twin,
    `klachtroute.cases.action_forms.errors_onto_form`. An action's form fields are the JSON
    keys as they are; `fields` renames a service's argument to the field the client sent."""
    rename = fields or {}
    if not hasattr(error, "error_dict"):
        return [field_error(None, e.messages[0], e.code or "invalid") for e in error.error_list]
    return [
        field_error(
            None if key == NON_FIELD else rename.get(key, key), e.messages[0], e.code or "invalid"
        )
        for key, errors in error.error_dict.items()
        for e in errors
    ]


def field_error(field: str | None, message: str, type_: str = "value_error") -> dict:
    loc = ["body", *field.split(".")] if field else ["body"]
    return {"field": field, "loc": loc, "message": str(message), "type": type_}


def _unprocessable(api: NinjaAPI, request, errors: list[dict]):
    return api.create_response(
        request,
        {"detail": _("De gegevens zijn niet geldig."), "errors": errors},
        status=422,
    )


def _message(error: dict) -> str:
    """A short message in the request's language for the common pydantic error types."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "missing":
        return _("Dit veld is verplicht.")
    if kind == "extra_forbidden":
        return _("Onbekend veld.")
    if kind == "string_too_long":
        return _("Te lang: hoogstens %(n)s tekens.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("Dit veld is verplicht.")
        return _("Te kort: minstens %(n)s tekens.") % {"n": ctx.get("min_length")}
    if kind == "string_type":
        return _("Verwacht tekst.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Verwacht een geheel getal.")
    if kind == "bool_type":
        return _("Verwacht true of false.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Verwacht een JSON-object.")
    if kind == "literal_error":
        return _("Kies een van: %(choices)s.") % {
            "choices": str(ctx.get("expected", "")).replace(" or ", ", ")
        }
    if kind == "timezone_aware":
        return _("Geef datum en tijd met tijdzone, bijv. 2026-03-02T10:30:00+01:00.")
    if kind.startswith("datetime_"):
        return _("Geef datum en tijd in ISO 8601 met tijdzone, bijv. 2026-03-02T10:30:00+01:00.")
    if kind.startswith("date_"):
        return _("Geef een datum als JJJJ-MM-DD.")
    if kind in ("greater_than_equal", "less_than_equal"):
        return _("Buiten het toegestane bereik.")
    return error.get("msg", _("Ongeldige waarde."))


def _from_ninja(error: dict) -> dict:
    source, *path = error["loc"]
    if source == "body":
        path = path[1:]  # drop the name of the view's body parameter
    field = ".".join(str(p) for p in path) or None
    message = _message(error)
    if source == "body" and field is None and error.get("type") == "missing":
        message = _("De body ontbreekt: stuur een JSON-object.")
    return {"field": field, "loc": [source, *path], "message": message, "type": error["type"]}


def install_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def ninja_validation_error(request, exc):
        return _unprocessable(api, request, [_from_ninja(e) for e in exc.errors])

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc):
        return _unprocessable(api, request, validation_errors(exc))

    @api.exception_handler(ApiValidationError)
    def api_errors(request, exc):
        return _unprocessable(api, request, exc.errors)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc.__cause__, MalformedBodyError):
            return _unprocessable(
                api,
                request,
                [field_error(None, _("De body is geen geldige JSON."), "json_invalid")],
            )
        if isinstance(exc, AuthenticationError):
            # The same answer for no token, a wrong one and a revoked one.
            response = api.create_response(
                request,
                {
                    "detail": _(
                        "Niet aangemeld: stuur een geldig persoonlijk API-token als "
                        "‘Authorization: Bearer TOKEN’."
                    )
                },
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer realm="klachtroute"'
            return response
        return api.create_response(request, {"detail": exc.message}, status=exc.status_code)

    @api.exception_handler(TransitionError)
    def transition_error(request, exc):
        return api.create_response(request, {"detail": exc.message}, status=exc.status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Niet gevonden.")}, status=404)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return api.create_response(request, {"detail": _("De body is te groot.")}, status=413)
