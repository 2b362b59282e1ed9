"""Validation of a records document against docs/records.schema.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "records.schema.json"


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def json_path(parts: Any) -> str:
    """bodies[0].meetings[2].attendance[5] from a jsonschema path."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def schema_errors(data: Any) -> list[tuple[str, str]]:
    """Every schema violation as (JSON path, message), in document order."""
    errors = []
    for error in validator().iter_errors(data):
        # For oneOf/anyOf failures the deepest specific reason is the useful one.
        best = error
        if error.context:
            best = min(error.context, key=lambda e: -len(e.absolute_path))
            if len(best.absolute_path) < len(error.absolute_path):
                best = error
        errors.append((json_path(best.absolute_path), best.message))
    errors.sort(key=lambda pair: pair[0])
    return errors
