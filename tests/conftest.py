"""Fixtures for the cross-cutting tests: a complaint, a browser context on the live server."""

import pytest

from klachtroute.cases.services import complaint_register
from klachtroute.testing.browser import context_open
from klachtroute.testing.factories import complaint_data


@pytest.fixture
def complaint(organisation, course, secretariat):
    return complaint_register(**complaint_data(actor=secretariat, channel="post", course=course))


@pytest.fixture
def browser_context(browser, live_server, transactional_db):
    """A fresh Chromium context (Dutch locale, desktop size) of the session's browser."""
    context = context_open(browser)
    yield context
    context.close()
