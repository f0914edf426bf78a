from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "klachtroute.reports"
    label = "reports"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from klachtroute.cases.signals import history_appended
        from klachtroute.organisation.models import ClosingDay, Course

        from . import receivers

        history_appended.connect(receivers.history_appended, dispatch_uid="reports-facts")
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.closing_day_changed, sender=ClosingDay, dispatch_uid="reports-facts"
            )
        pre_save.connect(
            receivers.closing_day_moving, sender=ClosingDay, dispatch_uid="reports-facts"
        )
        m2m_changed.connect(
            receivers.course_trainers_changed,
            sender=Course.trainers.through,
            dispatch_uid="reports-facts",
        )
