"""An authored paper's HTML page passes axe at 1280 and 320 px and fits the width, as every
public page does (tests/browser/test_public_accessibility.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from reports.models import StoredDocument
from reports.services import freeze_documents
from tests.browser.test_public_accessibility import WIDTHS, assert_accessible, assert_fits_the_width
from tests.public_world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_authored_papers_page_has_no_axe_violation_and_fits_1280_and_320_px(
    live_server: LiveServer, page: Page
) -> None:
    world = build_world()
    # As publishing would have: the copy (and its HTML) frozen before anyone reads it.
    freeze_documents(world.upcoming, [StoredDocument.Kind.PAPER])
    path = f"/prg/meetings/{world.upcoming.key}/papers/strategy/"
    page.set_default_timeout(10_000)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_contain_text("strategy")
        assert_accessible(page, path)
        assert_fits_the_width(page, path)
