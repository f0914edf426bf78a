"""Fixtures for the intake tests: valid form data, an HTML reader, a headless browser."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from klachtroute.testing.browser import context_open

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict):
        self.tag = tag
        self.attrs = attrs
        self.text = ""
        self.options: list[dict] = []

    def __getitem__(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def selected_value(self) -> str | None:
        chosen = [o for o in self.options if "selected" in o]
        return chosen[0].get("value") if chosen else None


class HtmlPage(HTMLParser):
    """The elements of a page by id, with their attributes and text: what a user perceives."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, Element] = {}
        self.elements: list[Element] = []
        self._open: list[tuple[str, Element]] = []
        self._select: Element | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.elements.append(element)
        if element["id"]:
            self.by_id[element["id"]] = element
        if tag == "select":
            self._select = element
        if tag == "option" and self._select is not None:
            self._select.options.append(element.attrs)
        if tag not in VOID:
            self._open.append((tag, element))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for _tag, element in self._open:
            element.text += data

    def get(self, element_id: str) -> Element:
        assert element_id in self.by_id, f"no element with id {element_id!r} on the page"
        return self.by_id[element_id]

    def field_error(self, name: str) -> str:
        """The error shown next to field `name`, checked to be tied to its control."""
        control = self.get(f"id_{name}")
        error = self.get(f"id_{name}-error")
        assert control["aria-invalid"] == "true", f"{name} is not marked aria-invalid"
        assert f"id_{name}-error" in (control["aria-describedby"] or "").split()
        return " ".join(error.text.split())

    def has_field_error(self, name: str) -> bool:
        return f"id_{name}-error" in self.by_id

    def fields_in_error(self) -> set[str]:
        return {
            key[3 : -len("-error")]
            for key in self.by_id
            if key.startswith("id_") and key.endswith("-error")
        }

    def value(self, name: str) -> str | None:
        control = self.get(f"id_{name}")
        if control.tag == "select":
            return control.selected_value
        if control.tag == "textarea":
            return control.text.removeprefix("\n")
        return control["value"]

    def by_name(self, name: str) -> Element:
        for element in self.elements:
            if element["name"] == name:
                return element
        raise AssertionError(f"no control named {name!r}")

    @property
    def lang(self) -> str | None:
        return next(e["lang"] for e in self.elements if e.tag == "html")

    @property
    def text(self) -> str:
        html = next(e for e in self.elements if e.tag == "html")
        return " ".join(html.text.split())


@pytest.fixture
def html():
    return lambda response: HtmlPage(response.content.decode())


@pytest.fixture
def form_data(organisation, course):
    """What a complainant types into the form: valid, with a course from the list."""
    return {
        "complainant_name": "Fatma Yılmaz",
        "course": str(course.pk),
        "course_other": "",
        "complaint_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "complainant_phone": "06 12 34 56 78",
        "complainant_email": "fatma@example.org",
        "description": "De trainer maakte in de groep opmerkingen over mijn afkomst.",
        "remedy_sought": "Excuses en een gesprek.",
        "submission_token": "0d8a7c2e-6f1b-4a7e-9a51-3f0d5c1e2b44",
    }


@pytest.fixture
def browser_page(browser, live_server, transactional_db):
    """A Chromium page (Dutch locale, desktop size) of the session's one browser."""
    context = context_open(browser)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def _dovecot():
    from .imap_server import DOVECOT, OPENSSL, ImapServer

    if not DOVECOT.exists():
        pytest.skip(f"{DOVECOT} is not installed (apt-get install dovecot-imapd)")
    if OPENSSL is None:
        pytest.skip("openssl is not installed (apt-get install openssl)")
    server = ImapServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def imap(_dovecot, settings):
    """The complaint mailbox on a real dovecot (STARTTLS), empty at the start of each test."""
    from .imap_server import FLAG, PASSWORD, USER

    _dovecot.empty()
    settings.IMAP_HOST = "127.0.0.1"
    settings.IMAP_PORT = _dovecot.port
    settings.IMAP_SECURITY = "starttls"
    settings.IMAP_CA_FILE = _dovecot.cafile
    settings.IMAP_USER = USER
    settings.IMAP_PASSWORD = PASSWORD
    settings.IMAP_HANDLED_FLAG = FLAG
    settings.IMAP_TIMEOUT = 10
    return _dovecot
