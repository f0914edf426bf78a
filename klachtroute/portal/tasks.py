"""Background work for the portal's public pages (run by `manage.py db_worker`)."""

from django_tasks import task

from .services import status_link_resend


@task()
def status_link_resend_task(email: str, number: str) -> None:
    """Look up the complaint and send a new status link. Run in the worker so that the
    public page does the same work (one enqueue) whether or not the address and number
    match: its response time reveals nothing."""
    status_link_resend(email=email, number=number)
