"""Shared fixtures: the demo records document and a signed-in world of users."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "docs" / "demo-records.json"


@pytest.fixture(scope="session")
def demo_document() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The app-server tests run last: they stop and start PostgreSQL under load."""
    items.sort(key=lambda item: item.get_closest_marker("servers") is not None)
