"""Fixtures for the cross-cutting security tests: a complaint, a headless browser."""

import os
from pathlib import Path

import pytest
from django.db import connections

from klachtroute.cases.services import complaint_register
from klachtroute.testing.factories import complaint_data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def complaint(organisation, course, secretariat):
    return complaint_register(**complaint_data(actor=secretariat, channel="post", course=course))


@pytest.fixture
def browser_context(live_server, transactional_db, monkeypatch):
    """A Chromium browser context (Dutch locale) driven through Playwright's sync API."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    monkeypatch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()
            browser.close()
            connections.close_all()
