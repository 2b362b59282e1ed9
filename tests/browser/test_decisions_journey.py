"""The decisions register in Debian's Chromium: the secretary records an item's decision on its
minutes page; once the minutes are published, the public decisions page shows it, filtered
by outcome, linked to its minutes (its screenshot is docs/images/decisions-page.png)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from meetings.models import Meeting
from meetings.services import minutes_lifecycle as steps
from tests.browser.test_secretary_journeys import load, sign_in
from tests.demo import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page as the journey leaves it (copied to docs/images/decisions-page.png by hand).
IMAGE = ROOT / "var" / "test-artefacts" / "decisions-page.png"


def test_a_decision_recorded_by_the_secretary_appears_on_the_public_decisions_page(
    live_server: LiveServer, page: Page
) -> None:
    load(without_march=False)
    base = live_server.url
    sign_in(page, base)

    page.goto(f"{base}/manage/prg/meetings/2019-05-01/minutes/items/10/")
    decision = page.locator("#decision")
    expect(decision.get_by_label("Recommendation as put")).to_have_value(
        "The Reference Group is asked to comment on and approve the proposal."
    )
    page.locator("#item-minutes textarea[name$='-text']").last.fill(
        "Lib Peck presented the proposal for a quarterly Reference Group."
    )
    decision.get_by_label("Outcome").select_option(label="Deferred")
    decision.get_by_label("Wording approved").fill(
        "Partners asked for the proposal to return in June with the community seats costed."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Minutes of item 10 saved.")
    expect(page.locator("[data-number='10']")).to_contain_text("Deferred")

    page.goto(f"{base}/manage/prg/meetings/2019-05-01/minutes/items/10/")
    page.select_option("#id_dissent-person", label="Jake Ferguson")
    page.select_option("#id_dissent-kind", label="Dissent")
    page.fill("#id_dissent-text", "Wanted the proposal approved today.")
    page.get_by_role("button", name="Record the dissent or reservation").click()
    expect(page.locator(".alert-success")).to_contain_text("Dissent or reservation recorded.")

    # The minutes go out, are approved by the Chair and published (their own journeys).
    may = Meeting.objects.get(key="2019-05-01")
    steps.circulate_minutes(may, None)
    steps.approve_minutes(may, None, by_chair=True, approved_on=dt.date.today())
    steps.publish_minutes(may, None)

    public = page.context.browser.new_page(viewport={"width": 1100, "height": 900})
    public.goto(f"{base}/prg/decisions/")
    entry = public.locator("#decision-2019-05-01-10")
    expect(entry).to_contain_text("Future of Partnership Reference Group")
    expect(entry).to_contain_text("Deferred")
    expect(entry).to_contain_text("comment on and approve the proposal")
    expect(entry).to_contain_text("with the community seats costed")
    expect(entry).to_contain_text("Jake Ferguson: Wanted the proposal approved today.")
    expect(public.locator("#decision-2019-03-06-4")).to_contain_text("Agreed by consensus")

    public.select_option("#filter-outcome", label="Deferred")
    public.get_by_role("button", name="Show").click()
    expect(public.locator(".decision")).to_have_count(1)
    public.get_by_role("link", name="Minutes of item 10").click()
    expect(public.locator("main")).to_contain_text("Wording approved:")

    public.goto(f"{base}/prg/decisions/")
    IMAGE.parent.mkdir(parents=True, exist_ok=True)
    public.screenshot(path=str(IMAGE), full_page=True)
    public.close()
