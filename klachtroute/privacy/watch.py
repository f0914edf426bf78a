"""The privacy part of the periodic run: purge the complaints past their retention period."""

from datetime import date

from .services import retention_purge_due


def run(*, today: date) -> int:
    """Purge what is due (LIVP-10). Returns the number of complaints that failed."""
    return retention_purge_due(today).errors
