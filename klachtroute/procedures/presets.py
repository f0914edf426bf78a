"""The procedure preset files: loading and checking them.

A preset is a JSON file in `presets/`. It is checked when the application starts;
a problem raises PresetError naming the file, the key and what is wrong.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from klachtroute.deadlines import Period

PRESET_DIR = Path(__file__).parent / "presets"
DEADLINE_KEYS = ("acknowledge", "first_contact", "settle")
HANDLER_POLICIES = ("trainer_not_teaching_course", "route_by_category", "manual")
LANGUAGES = ("nl", "en")
TEXT_KEYS = ("procedure_summary", "confidentiality")


class PresetError(ValueError):
    def __init__(self, source: str, key: str, problem: str):
        super().__init__(f"{source}: {key}: {problem}")
        self.source, self.key, self.problem = source, key, problem


def validate_definition(definition: Any, source: str) -> dict:
    """Check a procedure definition and return it; raise PresetError on the first problem."""
    if not isinstance(definition, dict):
        raise PresetError(source, "(top)", "must be a JSON object")
    for key in ("code", "name", "version", "effective_from"):
        if not isinstance(definition.get(key), str) or not definition[key].strip():
            raise PresetError(source, key, "is required and must be a non-empty string")
    try:
        date.fromisoformat(definition["effective_from"])
    except ValueError:
        raise PresetError(source, "effective_from", "must be a date as YYYY-MM-DD") from None
    deadlines = definition.get("deadlines")
    if not isinstance(deadlines, dict):
        raise PresetError(source, "deadlines", "is required and must be an object")
    for key in DEADLINE_KEYS:
        if key not in deadlines:
            raise PresetError(source, f"deadlines.{key}", "is required (null when not used)")
        if deadlines[key] is not None:
            try:
                Period.parse(deadlines[key])
            except ValueError as exc:
                raise PresetError(source, f"deadlines.{key}", str(exc)) from None
    unknown = set(deadlines) - set(DEADLINE_KEYS)
    if unknown:
        raise PresetError(source, f"deadlines.{sorted(unknown)[0]}", "is not a known deadline")
    if definition.get("handler_policy") not in HANDLER_POLICIES:
        raise PresetError(source, "handler_policy", f"must be one of {', '.join(HANDLER_POLICIES)}")
    retention = definition.get("retention_years")
    if not isinstance(retention, int) or isinstance(retention, bool) or retention < 1:
        raise PresetError(source, "retention_years", "must be a whole number of years, at least 1")
    texts = definition.get("texts")
    if not isinstance(texts, dict):
        raise PresetError(source, "texts", "is required and must be an object")
    for lang in LANGUAGES:
        if not isinstance(texts.get(lang), dict):
            raise PresetError(source, f"texts.{lang}", "is required and must be an object")
        for key in TEXT_KEYS:
            if not isinstance(texts[lang].get(key), str) or not texts[lang][key].strip():
                raise PresetError(source, f"texts.{lang}.{key}", "is required text")
    return definition


def load_preset_file(path: Path) -> dict:
    source = path.name
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PresetError(source, f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from None
    definition = validate_definition(definition, source)
    if definition["code"] != path.stem:
        raise PresetError(source, "code", f"must equal the file name ({path.stem!r})")
    return definition


def load_presets(directory: Path = PRESET_DIR) -> dict[str, dict]:
    """All presets by code; raises PresetError for the first bad file."""
    return {p.stem: load_preset_file(p) for p in sorted(directory.glob("*.json"))}
