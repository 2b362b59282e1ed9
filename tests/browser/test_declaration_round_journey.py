"""The annual declaration round and the chair's brief in Debian's Chromium: the secretary opens
a round and fetches the chair's brief (partners only: the public is answered 404), the partner
confirms their register from the dashboard, and the secretary sees who confirmed; the open data
shows the confirmation but never the note to the secretary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_secretary_journeys import load, sign_in
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUND_PAGE = "/manage/prg/members/declaration-round/"
NOTE = "Added my trusteeship of a youth charity."


def test_secretary_opens_a_round_partner_confirms_and_the_secretary_sees_it(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    load(without_march=False)
    base = live_server.url
    sign_in(page, base)

    # The chair's brief, from the meeting's workspace: a PDF for partners and secretaries only.
    page.goto(f"{base}/manage/prg/meetings/2019-05-01/minutes/")
    link = page.get_by_role("link", name="Chair's brief (PDF, partners only)")
    href = link.get_attribute("href")
    assert href
    brief = page.request.get(f"{base}{href}")
    assert brief.status == 200
    assert brief.headers["content-type"] == "application/pdf"
    assert brief.body().startswith(b"%PDF")
    public = browser.new_context()
    try:
        assert public.request.get(f"{base}{href}").status == 404
    finally:
        public.close()

    # The secretary opens the round.
    due = timezone.localdate() + dt.timedelta(days=28)
    page.goto(f"{base}{ROUND_PAGE}")
    page.get_by_label("Confirm by").fill(due.isoformat())
    page.get_by_role("button", name="Start the round").click()
    expect(page.locator(".alert-success")).to_contain_text("Declaration round started")
    expect(page.locator("#round-count")).to_contain_text("0 of ")
    asked = page.locator("#round-answers tbody tr").count()
    assert asked > 1

    # The partner confirms from the dashboard, in a browser of their own.
    partner_context = browser.new_context()
    partner = partner_context.new_page()
    partner.set_default_timeout(10_000)
    try:
        partner.goto(f"{base}/accounts/login/?next=/partners/")
        partner.fill("#id_username", "partner")
        partner.fill("#id_password", PASSWORD)
        partner.get_by_role("button", name="Sign in").click()
        card = partner.locator("#declaration-round")
        expect(card).to_contain_text(f"by {due:%-d %B %Y}")
        card.get_by_label("I updated my register before confirming").check()
        card.get_by_label("Note to the secretary (optional)").fill(NOTE)
        card.get_by_role("button", name="Confirm my register is up to date").click()
        expect(partner.locator("#declaration-round")).to_contain_text(
            "You have confirmed your register"
        )
    finally:
        partner_context.close()

    # The secretary sees who confirmed, with the note.
    page.goto(f"{base}{ROUND_PAGE}")
    expect(page.locator("#round-count")).to_contain_text(f"1 of {asked} members have confirmed.")
    row = page.locator("#round-answers tbody tr", has_text="Jake Ferguson")
    expect(row).to_contain_text("(register updated)")
    expect(row).to_contain_text(NOTE)
    expect(page.locator("#round-answers tbody tr", has_text="Not yet")).to_have_count(asked - 1)

    # The open data: Jake confirmed by the date; the note is the secretary's alone.
    api = page.request.get(f"{base}/api/bodies/prg/declaration-rounds/")
    assert api.status == 200
    (current,) = api.json()["rounds"]
    jake = next(m for m in current["members"] if m["person"] == "jake-ferguson")
    assert (jake["confirmed"], jake["by_due_date"], jake["updated"]) == (True, True, True)
    assert current["confirmed"] == 1
    assert "trusteeship" not in api.text()
