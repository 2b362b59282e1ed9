"""Load the demo records once per test class (Django TestCase.setUpTestData)."""

from __future__ import annotations

import json
from functools import lru_cache

from members.records.importer import import_records
from tests.conftest import DEMO_FILE


@lru_cache(maxsize=1)
def _document_text() -> str:
    return DEMO_FILE.read_text(encoding="utf-8")


def demo_document() -> dict:
    return json.loads(_document_text())


def load_demo() -> None:
    import_records(demo_document(), base_dir=DEMO_FILE.parent)
