"""django-tasks-db's worker, which first takes back the mail of workers that died.

It replaces `db_worker` of django_tasks_db (this app comes first in INSTALLED_APPS) and
takes the same options.
"""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from klachtroute.notifications.services import messages_recover_and_enqueue


class Command(DBWorkerCommand):
    help = (
        DBWorkerCommand.help
        + " Before it starts, mail left 'sending' by a worker of this host that died is "
        "given back to the queue and delivered."
    )

    def handle(self, *args, **options):
        recovered = messages_recover_and_enqueue()
        if recovered:
            self.stdout.write(f"Recovered from a worker that died: {recovered} message(s)")
        return super().handle(*args, **options)
