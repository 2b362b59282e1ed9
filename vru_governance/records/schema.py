"""Validation of a records document against docs/records.schema.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from django.conf import settings
from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "records.schema.json"


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    # Formats are checked too: a date must be a real date, not only look like one.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=1)
def fast_validator() -> jsonschema_rs.Draft202012Validator:
    """The same schema, formats included, compiled by jsonschema-rs.

    It checks a decade of records (16 MiB) in a tenth of a second where jsonschema takes half a
    minute, but only says whether a document is valid: the messages of an invalid one, and the
    last word on it, come from validator().
    """
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _surely_valid(data: Any) -> bool:
    try:
        return fast_validator().is_valid(data)
    except Exception:  # a value it cannot take (an integer past 64 bits): ask jsonschema
        return False


def json_path(parts: Any) -> str:
    """bodies[0].meetings[2].attendance[5] from a jsonschema path."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


# A message quotes the value it refuses: a long one is cut short.
MESSAGE_CHARS = 300


def _short(message: str) -> str:
    return message if len(message) <= MESSAGE_CHARS else message[: MESSAGE_CHARS - 1] + "…"


def text_errors(data: Any) -> list[tuple[str, str]]:
    """Strings no database column may hold: NUL characters (PostgreSQL refuses them)."""
    found = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:  # not recursive: a deeply nested document cannot exhaust the stack
        parts, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            found.append((json_path(parts), "The text contains a NUL character (\\u0000)."))
        elif isinstance(value, dict):
            stack.extend(((*parts, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*parts, i), v) for i, v in enumerate(value))
    return found


def schema_errors(data: Any) -> list[tuple[str, str]]:
    """Every schema violation as (JSON path, message), in document order."""
    errors = text_errors(data)
    if not errors and _surely_valid(data):
        return []
    for error in validator().iter_errors(data):
        # For oneOf/anyOf failures the deepest specific reason is the useful one.
        best = error
        if error.context:
            best = min(error.context, key=lambda e: -len(e.absolute_path))
            if len(best.absolute_path) < len(error.absolute_path):
                best = error
        errors.append((json_path(best.absolute_path), _short(best.message)))
    errors.sort(key=lambda pair: pair[0])
    return errors
