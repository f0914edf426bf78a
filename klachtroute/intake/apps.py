from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "klachtroute.intake"
    label = "intake"

    def worker_jobs(self) -> list:
        """The worker fetches the complaint mailbox every MAIL_FETCH_INTERVAL seconds when
        one is configured (IMAP_HOST); 0 leaves it to `fetch_mail` from cron or a timer."""
        from django.conf import settings

        from klachtroute.notifications.schedule import WorkerJob

        if not settings.IMAP_HOST or settings.MAIL_FETCH_INTERVAL <= 0:
            return []
        from .mail_services import mailbox_fetch_scheduled

        return [
            WorkerJob(
                name="fetch-mail", every=settings.MAIL_FETCH_INTERVAL, run=mailbox_fetch_scheduled
            )
        ]
