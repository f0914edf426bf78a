"""One headless Chromium for the whole test session, driven from its own thread.

Playwright's sync API keeps an asyncio loop marked as running in the thread that starts it.
In the test thread that would move Django's database connections into another slot and
refuse `asyncio.run` for every test that follows. So Playwright lives in a thread of its own
and the tests hold `Remote` proxies: every attribute read and call is run in that thread and
its answer handed back. Plain values (text, numbers, JSON from `evaluate`) come back as they
are; Playwright objects (pages, locators) come back as proxies.

The helpers below are what the browser suites check on every page: axe-core finds no
violation, and nothing is wider than the screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

_PLAIN = (str, bytes, int, float, bool, type(None))


class Runner:
    """Runs callables in the one Playwright thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._thread: threading.Thread | None = self._executor.submit(
            threading.current_thread
        ).result()

    def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is self._thread:
            return fn(*args, **kwargs)
        return self._executor.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class Remote:
    """A Playwright object living in the Playwright thread."""

    __slots__ = ("_obj", "_run")

    def __init__(self, obj: Any, run: Runner) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_run", run)

    def __getattr__(self, name: str) -> Any:
        return wrap(self._run(getattr, self._obj, name), self._run)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = tuple(unwrap(a) for a in args)
        kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        return wrap(self._run(self._obj, *args, **kwargs), self._run)

    def __repr__(self) -> str:
        return f"Remote({self._run(repr, self._obj)})"


def wrap(value: Any, run: Runner) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return [wrap(v, run) for v in value]
    if isinstance(value, dict):
        return {k: wrap(v, run) for k, v in value.items()}
    return Remote(value, run)


def unwrap(value: Any) -> Any:
    return value._obj if isinstance(value, Remote) else value


def browser_start() -> tuple[Remote, Callable[[], None]]:
    """Start Playwright and Chromium in their thread; return the browser and a stop function."""
    from playwright.sync_api import sync_playwright

    run = Runner()
    playwright = run(lambda: sync_playwright().start())
    browser = run(
        lambda: playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    )

    def stop() -> None:
        run(browser.close)
        run(playwright.stop)
        run.shutdown()

    return Remote(browser, run), stop


def context_open(browser: Remote, *, viewport: dict | None = None, locale: str = "nl-NL") -> Any:
    context = browser.new_context(
        locale=locale, timezone_id="Europe/Amsterdam", viewport=viewport or DESKTOP
    )
    context.set_default_timeout(15_000)
    return context


def log_in(context: Any, live_server: Any, user: Any) -> None:
    """Give the browser a session of `user` (the login page itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page, one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def overflow(page: Any) -> str | None:
    """Why the page is wider than the screen (the widest elements), or None."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return null;
        const wide = [];
        for (const el of document.querySelectorAll('body *')) {
          const box = el.getBoundingClientRect();
          if (box.right > width + 1 && el.offsetParent !== null) {
            let outside = false;
            for (let p = el.parentElement; p; p = p.parentElement) {
              const o = getComputedStyle(p).overflowX;
              if (o === 'auto' || o === 'scroll' || o === 'hidden') { outside = true; break; }
            }
            if (!outside) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
              + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
              + ' right=' + Math.round(box.right));
          }
        }
        return `scrollWidth ${document.documentElement.scrollWidth} > ${width}: ` + wide.slice(0, 6).join(', ');
      }"""
    )
