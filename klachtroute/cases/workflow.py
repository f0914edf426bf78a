"""The complaint's states and the one table of transitions between them.

Every service that moves a complaint asks `transition_check` first; the pages and
the API list `actions_for` so that a person is only offered what they may do now.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("Nieuw")
    IN_PROGRESS = "in_progress", _("In behandeling")
    SETTLED = "settled", _("Afgehandeld")

    @classmethod
    def open_states(cls) -> tuple[str, ...]:
        return (cls.NEW, cls.IN_PROGRESS)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    roles: tuple[str, ...]  # roles that may take it; "handler" means the assigned handler
    label: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "assign_handler",
        (State.NEW, State.IN_PROGRESS),
        State.IN_PROGRESS,
        ("secretariat",),
        _("Behandelaar aanwijzen"),
    ),
    Transition(
        "correct_received_at",
        (State.NEW, State.IN_PROGRESS),
        None,
        ("secretariat",),
        _("Ontvangstdatum corrigeren"),
    ),
)

TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}


class TransitionError(Exception):
    """An action that may not be taken now; the message says why, in the user's language."""

    def __init__(self, message: str, *, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def may_act(user, complaint, transition: Transition) -> bool:
    if user is None or not user.is_active:
        return False
    for role in transition.roles:
        if role == "handler" and complaint.handler_id == user.pk:
            return True
        if user.has_role(role):
            return True
    return False


def transition_check(user, complaint, action: str) -> Transition:
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        raise TransitionError(_("Onbekende actie."), status=404)
    if not may_act(user, complaint, transition):
        raise TransitionError(_("U mag deze actie niet uitvoeren."), status=403)
    if complaint.state not in transition.sources:
        raise TransitionError(
            _("Deze actie kan niet in de status ‘%(state)s’.")
            % {"state": State(complaint.state).label}
        )
    return transition


def actions_for(user, complaint) -> list[Transition]:
    return [t for t in TRANSITIONS if complaint.state in t.sources and may_act(user, complaint, t)]
