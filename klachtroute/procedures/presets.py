"""The procedure preset files: loading and checking them.

A preset is a JSON file in `presets/`. It is checked when the application starts;
a problem raises PresetError naming the file, the key and what is wrong.
"""

import json
from pathlib import Path

from .definition import DefinitionError, definition_parse

PRESET_DIR = Path(__file__).parent / "presets"

PresetError = DefinitionError


def validate_definition(definition: object, source: str) -> dict:
    """Check a procedure definition and return it as given; raise PresetError on a problem,
    including an outcome letter that could not be complete (`Definition.outcome_gaps`)."""
    spec = definition_parse(definition, source)
    for key, problem in spec.outcome_gaps():
        raise PresetError(source, key, problem)
    assert isinstance(definition, dict)  # noqa: S101 -- definition_parse refuses anything else
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
