"""Issue 18 in Debian's Chromium: a partner keeps a private note on a paper, finds it again,
downloads it and deletes it; the secretary's roster charts the composition ahead and warns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from members.models import Appointment
from reports.models import PaperNote
from tests.demo import ROOT
from tests.public_world import build_world
from tests.world import PASSWORD, full_roster, make_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The roster's chart as the journey leaves it (copied to docs/images/composition-ahead.png by
# hand).
IMAGE = ROOT / "var" / "test-artefacts" / "composition-ahead.png"
NOTE = "Ask how the strategy reaches young people outside school"


def sign_in(page: Page, base: str, username: str, then: str) -> None:
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}{then}")


def test_a_partner_keeps_downloads_and_deletes_a_private_note(
    live_server: LiveServer, page: Page
) -> None:
    build_world()
    base = live_server.url
    sign_in(page, base, "partner", "/partners/")
    page.get_by_role("link", name="Your note on UPCOMING-PUBLIC-PAPER strategy").click()
    expect(page.locator("main")).to_contain_text("only you can read it")
    page.get_by_label("Your note").fill(NOTE)
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator("main")).to_contain_text("is saved")
    expect(page.get_by_label("Your note")).to_have_value(NOTE)

    page.get_by_role("link", name="Your notes").click()
    expect(page.locator("main")).to_contain_text(NOTE)
    with page.expect_download() as download:
        page.get_by_role("link", name="Markdown").click()
    assert NOTE in download.value.path().read_text(encoding="utf-8")

    page.get_by_label("Delete every one of my 1 notes").check()
    page.get_by_role("button", name="Delete all my notes").click()
    expect(page.locator("main")).to_contain_text("You keep no notes.")
    assert not PaperNote.objects.exists()


def test_the_roster_charts_the_composition_ahead_and_names_the_date_it_falls_short(
    live_server: LiveServer, page: Page
) -> None:
    world = build_world()
    body, _ = make_body("ahead")
    full_roster(body)  # 8 community members of 25: 32%, the minimum 30%
    body.secretaries.add(world.secretary_a)
    ends = timezone.localdate() + dt.timedelta(days=30)
    Appointment.objects.filter(body=body, person__key="community-1").update(end=ends)
    base = live_server.url
    sign_in(page, base, "secretary", f"/manage/{body.slug}/members/")
    chart = page.locator("#composition-chart")
    expect(chart).to_be_visible()
    expect(page.locator("#composition-warning")).to_contain_text(
        f"On {ends + dt.timedelta(days=1):%-d %B %Y} community representation falls"
    )
    expect(page.locator("#composition-ahead-table")).to_contain_text("7 of 24")
    IMAGE.parent.mkdir(parents=True, exist_ok=True)
    page.locator("#composition-ahead").screenshot(path=str(IMAGE))
