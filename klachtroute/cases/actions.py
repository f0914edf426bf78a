"""Carrying out a workflow action by name, for the staff pages, the API and the pages behind
private links alike.

`action_perform` checks that the person may take the action now (TransitionError with
403/404/409), validates the input with the action's form (ValidationError with the
form's field errors), and calls the service. Nothing changes when any of it fails.

Two people acting on the same page state: the record page's forms carry the
complaint's `updated_at` as `version`; when it is given and the complaint has changed since,
the action is refused with 409 instead of silently overwriting the other person's work.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import action_forms as f
from . import services as s
from .models import Complaint
from .workflow import TRANSITIONS, Transition, TransitionError, transition_check

VERSION_FIELD = "version"
CONFIRM_FIELD = "confirm"
CONFIRM_MESSAGE = _lazy(
    "Bevestig deze stap: die sluit de klacht af of beëindigt een recht van de klager."
)


@dataclass(frozen=True)
class Action:
    """A transition bound to its form class and its service function."""

    transition: Transition
    form: type[f.ActionForm]
    service: Callable

    def run(self, complaint: Complaint, actor, form: f.ActionForm, party: str | None = None):
        kwargs = {**form.service_kwargs(), **dict(self.transition.fixed)}
        if party is not None:
            kwargs["party"] = party
        return self.service(complaint=complaint, actor=actor, **kwargs)


def _bind(transition: Transition) -> Action:
    """Resolve the names the table gives; a wrong name stops the application at start.

    A service of the complaint is named by its name in `cases.services`; a service of an
    app built on the complaint (measures) by its dotted path, so that the complaint app does
    not import the apps that import it."""
    form = getattr(f, transition.form, None)
    if "." in transition.service:
        try:
            service = import_string(transition.service)
        except ImportError:
            service = None
    else:
        service = getattr(s, transition.service, None)
    if not (isinstance(form, type) and issubclass(form, f.ActionForm)):
        raise ImproperlyConfigured(f"{transition.action}: no action form {transition.form!r}")
    if not callable(service):
        raise ImproperlyConfigured(f"{transition.action}: no service {transition.service!r}")
    return Action(transition, form, service)


ACTIONS: dict[str, Action] = {t.action: _bind(t) for t in TRANSITIONS}


def action_form(
    action: str, complaint: Complaint, user, data=None, *, party: str | None = None, **kwargs
) -> f.ActionForm:
    """The action's one form. `kwargs` reach the form (`prefix`, `auto_id`, `labels`,
    `help_texts`). A party acting through its own link acts for itself: a `party` field
    (the secretariat records whose answer it is) is set to that party, whatever was posted."""
    form = ACTIONS[action].form(data, complaint=complaint, user=user, **kwargs)
    if party is not None and data is not None and "party" in form.fields:
        data = data.copy()
        data[form.add_prefix("party")] = party
        form.data = data
    return form


def _same_version(given: str, complaint: Complaint) -> bool:
    """Whether `given` (the form's `updated_at.isoformat()`) is the complaint's last save."""
    try:
        return dt.datetime.fromisoformat(given.strip()) == complaint.updated_at
    except (TypeError, ValueError):
        return False


def action_perform(
    *,
    complaint: Complaint,
    action: str,
    actor=None,
    party: str | None = None,
    data,
    files=None,
    form_kwargs: dict | None = None,
    confirmed: bool = False,
):
    """Check, validate and carry out one action, for a logged-in person (`actor`) or a party
    acting through a private link (`party`). Returns what the service returned. `files` are
    the uploads of a form that takes a file.

    A step that closes the complaint or ends a right of the complainant
    (`Transition.needs_confirmation`) is taken only when `confirmed`: the staff page's
    checkbox, the API's `"confirm": true`, the link page's own confirmation. Otherwise it is
    refused (ValidationError on `confirm`), together with any errors of the form.

    `form_kwargs` reach the action's form (e.g. the `prefix` of a page with several forms);
    the page shows a refusal with `action_form` and the same arguments."""
    transition = transition_check(actor, complaint, action, party)
    form = action_form(
        action, complaint, actor, data, party=party, files=files, **(form_kwargs or {})
    )
    errors = {} if form.is_valid() else dict(form.errors.as_data())
    if transition.needs_confirmation and not confirmed:
        errors[CONFIRM_FIELD] = [ValidationError(CONFIRM_MESSAGE, code="confirm")]
    if errors:
        raise ValidationError(errors)
    given = data.get(VERSION_FIELD) if hasattr(data, "get") else None
    if not given:
        return ACTIONS[action].run(complaint, actor, form, party)
    with transaction.atomic():
        # The service locks the row again in this same transaction; comparing under the
        # lock means that of two saves built from the same page, the second always sees
        # the first one's change.
        locked = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
        if not _same_version(str(given), locked):
            raise TransitionError(
                _(
                    "Iemand anders heeft deze klacht intussen gewijzigd; bekijk de nieuwe "
                    "stand en probeer het opnieuw."
                ),
                status=409,
            )
        return ACTIONS[action].run(complaint, actor, form, party)
