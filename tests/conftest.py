"""Shared fixtures: the demo records document, and the demo records with the cast of
tests/world.py for tests written as functions (TestCase classes use DemoWorld)."""

from __future__ import annotations

import json

import pytest

from tests.demo import DEMO_FILE, load_demo
from tests.world import Cast, build_cast


@pytest.fixture(scope="session")
def demo_document() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def cast(db: None) -> Cast:
    """The demo records, the secretary and partner of the demo board, a partner and a
    secretary of another body; the public is a client that never signs in."""
    load_demo()
    return build_cast()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The app-server tests run last: they stop and start PostgreSQL under load."""
    items.sort(key=lambda item: item.get_closest_marker("servers") is not None)
