"""Writes of procedures: installing a preset."""

from datetime import date

from django.db import transaction

from .models import Procedure, ProcedureVersion
from .presets import load_presets


@transaction.atomic
def procedure_install_preset(*, code: str) -> Procedure:
    """Install (or refresh the name of) a shipped preset; adds its version if it is new."""
    definition = load_presets()[code]
    procedure, _ = Procedure.objects.update_or_create(
        code=code, defaults={"name": definition["name"]}
    )
    ProcedureVersion.objects.get_or_create(
        procedure=procedure,
        effective_from=date.fromisoformat(definition["effective_from"]),
        defaults={"label": definition["version"], "definition": definition},
    )
    return procedure
