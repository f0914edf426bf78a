"""The form of address toward users is "u": no page, message or letter says je, jij, jouw
or jullie. Scans every template and every Dutch message id of the translation file."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
INFORMAL = re.compile(r"(?<![\w-])(je|jij|jouw|jullie)(?![\w-])", re.IGNORECASE)


def _templates() -> list[Path]:
    folders = [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]
    folders += sorted(ROOT.glob("klachtroute/*/templates"))
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())


def _msgids(po: Path) -> list[tuple[int, str]]:
    """(line, text) of every message id (and plural id) in a .po file."""
    found, current, start = [], None, 0
    for number, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1):
        line = line.removeprefix("#~ ")
        head = re.match(r'msgid(?:_plural)? "(.*)"$', line)
        if head:
            if current is not None:
                found.append((start, current))
            current, start = head.group(1), number
        elif line.startswith('"') and current is not None:
            current += line[1:-1]
        elif current is not None:
            found.append((start, current))
            current = None
    if current is not None:
        found.append((start, current))
    return [(n, text) for n, text in found if text]


def _informal(text: str) -> list[str]:
    return [m.group(0) for m in INFORMAL.finditer(text)]


def test_the_word_finder_sees_informal_address_and_passes_words_that_contain_it():
    assert _informal("Vul je wachtwoord in; Jouw account, jullie, jij.") == [
        "je",
        "Jouw",
        "jullie",
        "jij",
    ]
    assert _informal("De jeugdopleiding, object-je, Jeroen, u en uw.") == []


def test_the_message_ids_are_read_whole_across_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid ""\n"Een lange zin over "\n"je account."\nmsgstr "x"\n'
    )
    assert _msgids(po) == [(4, "Een lange zin over je account.")]


def test_no_template_addresses_the_reader_informally():
    assert _templates()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {', '.join(words)}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (words := _informal(line))
    ]
    assert not found, "\n".join(found)


def test_no_dutch_message_id_addresses_the_reader_informally():
    found = []
    for folder in settings.LOCALE_PATHS:
        for po in sorted(Path(folder).rglob("*.po")):
            found += [
                f"{po.relative_to(ROOT)}:{number}: {text}"
                for number, text in _msgids(po)
                if _informal(text)
            ]
    assert not found, "\n".join(found)
