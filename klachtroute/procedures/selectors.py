"""Reads of procedures: which version is in force on a date."""

from datetime import date

from .models import Procedure, ProcedureVersion


def procedure_version_in_force(*, procedure: Procedure, on: date) -> ProcedureVersion | None:
    """The version in force on a date; the earliest version for dates before all of them."""
    versions = ProcedureVersion.objects.filter(procedure=procedure).select_related("procedure")
    return (
        versions.filter(effective_from__lte=on).order_by("-effective_from").first()
        or versions.order_by("effective_from").first()
    )
