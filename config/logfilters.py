"""Log filters: no private-link token reaches a log.

A token in `/p/<token>/` lets its holder act as the complainant, respondent or third
party. The development server logs every request line (logger `django.server`), and an
error log may quote a path: the filter replaces the token with `…` before any handler
writes the record.
"""

import logging
import re

_TOKEN = re.compile(r"(/p/)[^/\s\"'?]+")


def without_link_tokens(text: str) -> str:
    return _TOKEN.sub(r"\1…", text) if "/p/" in text else text


class PrivateLinkTokenFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/p/" in message:
            record.msg = without_link_tokens(message)
            record.args = ()
        return True
