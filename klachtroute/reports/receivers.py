"""Keeping the roll-up of the annual report in step: what changed is queued (facts.py)."""

from .facts import facts_queue, facts_queue_around


def history_appended(sender, complaint_ids, **kwargs) -> None:
    """A complaint's history grew: it changed, so its facts are queued (same transaction)."""
    facts_queue(complaint_ids)


def closing_day_changed(sender, instance, **kwargs) -> None:
    """A closing day added or removed: the stages around it count one working day more or
    fewer."""
    facts_queue_around(instance.date)


def closing_day_moving(sender, instance, **kwargs) -> None:
    """A closing day saved with another date: the stages around its old date change too."""
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
    if old is not None and old != instance.date:
        facts_queue_around(old)


def course_trainers_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Who teaches a course decides whether its complaints' handlers were allowed to handle
    them (LIVP-3): queue the complaints of the courses that changed."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from klachtroute.cases.models import Complaint

    if reverse:  # trainer.courses changed: `pk_set` are courses (None on clear: all of them)
        courses = Complaint.objects.filter(course__isnull=False)
        if pk_set is not None:
            courses = courses.filter(course_id__in=pk_set)
        ids = courses.filter(handler_id=instance.pk).values_list("pk", flat=True)
    else:
        ids = Complaint.objects.filter(course_id=instance.pk).values_list("pk", flat=True)
    facts_queue(list(ids))
