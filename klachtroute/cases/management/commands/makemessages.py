"""Django's makemessages, also reading the history's phrases (cases/phrases.py).

An event's text is written `Phrase("Dutch source text", ...)` or `plural(singular, plural,
n, ...)`: translated when the history is read, not when it is written, so no gettext call
surrounds the text. These keywords let xgettext find them like any other translatable text.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=Phrase",
        "--keyword=plural:1,2",
    ]
