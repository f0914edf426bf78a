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
ACKNOWLEDGE_ON = ("assignment", "registration")
SETTLEMENTS = ("two_party_approval", "complainant_agrees")
ESCALATIONS = ("third_party", "director")
ROUTES = ("director", "respondent", "exam_committee")
PERIOD_KEYS = ("defence", "link_valid")
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
    for key, allowed in (
        ("acknowledge_on", ACKNOWLEDGE_ON),
        ("settlement", SETTLEMENTS),
        ("escalation", ESCALATIONS),
    ):
        if definition.get(key) not in allowed:
            raise PresetError(source, key, f"must be one of {', '.join(allowed)}")
    if not isinstance(definition.get("admissibility"), bool):
        raise PresetError(source, "admissibility", "must be true or false")
    _validate_categories(definition, source)
    _validate_criteria(definition, source)
    periods = definition.get("periods")
    if not isinstance(periods, dict):
        raise PresetError(source, "periods", "is required and must be an object")
    for key in PERIOD_KEYS:
        if key not in periods:
            raise PresetError(source, f"periods.{key}", "is required (null when not used)")
        if periods[key] is not None:
            try:
                Period.parse(periods[key])
            except ValueError as exc:
                raise PresetError(source, f"periods.{key}", str(exc)) from None
    reminder = definition.get("reminder_working_days")
    if not isinstance(reminder, int) or isinstance(reminder, bool) or not 0 <= reminder <= 20:
        raise PresetError(source, "reminder_working_days", "must be a whole number from 0 to 20")
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


def _label(value, source: str, key: str) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGUAGES
    ):
        raise PresetError(source, key, "needs a text for every language (nl, en)")


def _validate_categories(definition: dict, source: str) -> None:
    categories = definition.get("categories")
    if not isinstance(categories, list):
        raise PresetError(source, "categories", "is required and must be a list (empty when not used)")
    seen = set()
    for i, category in enumerate(categories):
        key = f"categories[{i}]"
        if not isinstance(category, dict) or not isinstance(category.get("code"), str):
            raise PresetError(source, f"{key}.code", "is required")
        if category["code"] in seen:
            raise PresetError(source, f"{key}.code", f"{category['code']!r} appears twice")
        seen.add(category["code"])
        if category.get("route") not in ROUTES:
            raise PresetError(source, f"{key}.route", f"must be one of {', '.join(ROUTES)}")
        _label(category.get("label"), source, f"{key}.label")
    if definition.get("handler_policy") == "route_by_category" and not categories:
        raise PresetError(source, "categories", "routing by category needs at least one category")


def _validate_criteria(definition: dict, source: str) -> None:
    criteria = definition.get("criteria")
    if not isinstance(criteria, list):
        raise PresetError(source, "criteria", "is required and must be a list (empty when not used)")
    codes = {c.get("code") for c in definition.get("categories", []) if isinstance(c, dict)}
    for i, criterion in enumerate(criteria):
        key = f"criteria[{i}]"
        if not isinstance(criterion, dict) or not isinstance(criterion.get("code"), str):
            raise PresetError(source, f"{key}.code", "is required")
        _label(criterion.get("label"), source, f"{key}.label")
        applies = criterion.get("categories")
        if applies is not None and (
            not isinstance(applies, list) or any(code not in codes for code in applies)
        ):
            raise PresetError(source, f"{key}.categories", "must be null or a list of known category codes")


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
