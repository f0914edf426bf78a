"""A real SMTP server (aiosmtpd) on a free local port, and Django pointed at it."""

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django_tasks import task_backends


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


class CollectingHandler:
    def __init__(self, inbox: list[Received]):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        self.inbox.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                message=email.message_from_bytes(raw, policy=email.policy.default),
            )
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """An SMTP server on `port` that is down until `start()` is called."""

    port: int
    inbox: list[Received] = field(default_factory=list)
    controller: Controller | None = None

    def start(self, handler=None) -> "SmtpServer":
        """Listen on `port`, with the collecting handler unless another is given."""
        self.stop()
        self.controller = Controller(
            handler or CollectingHandler(self.inbox), hostname="127.0.0.1", port=self.port
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_down(settings):
    """Django sends through SMTP to a port where nothing listens (yet)."""
    server = SmtpServer(port=free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.OUTBOX_BACKOFF_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 8
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_down):
    """Django sends through a running SMTP server that collects what it receives."""
    return smtp_down.start()


@pytest.fixture
def task_backend():
    """The test settings' DummyBackend, emptied: it records what was enqueued."""
    backend = task_backends["default"]
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def handler_reads_mail_elsewhere(trainers):
    """The trainer appointed automatically (the third, who does not teach the course) has
    no e-mail address here, so the one message a registration sends is the acknowledgement
    to the complainant, which the delivery tests follow."""
    trainers[2].email = ""
    trainers[2].save(update_fields=["email"])
    return trainers[2]
