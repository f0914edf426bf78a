"""Keeping the roll-up of the annual report in step: what changed is queued (facts.py)."""

from .facts import facts_queue, facts_queue_around


def history_appended(sender, complaint_ids, **kwargs) -> None:
    """A complaint's history grew: it changed, so its facts are queued (same transaction)."""
    facts_queue(complaint_ids)


def closing_day_changed(sender, instance, **kwargs) -> None:
    facts_queue_around(instance.date)
