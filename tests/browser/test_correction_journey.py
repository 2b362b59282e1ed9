"""A correction in Debian's Chromium: the secretary corrects a published minute; the public
meeting page lists version 2 with its reason, and both versions download."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from meetings.models import Meeting
from reports.services import MINUTES_KINDS, freeze_documents
from tests.browser.test_secretary_journeys import load, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_corrected_minute_is_version_2_with_its_reason_and_both_versions_download(
    live_server: LiveServer, page: Page
) -> None:
    load(without_march=False)
    freeze_documents(Meeting.objects.get(key="2019-03-06"), MINUTES_KINDS)
    base = live_server.url
    sign_in(page, base)

    page.goto(f"{base}/manage/prg/meetings/2019-03-06/minutes/")
    page.get_by_role("link", name="Correct 4.1").click()
    page.fill("#id_text", "Mark Simmons presented the corrected report on violent crime.")
    page.fill("#id_reason", "The report's title was misquoted.")
    page.get_by_role("button", name="Record the correction").click()
    expect(page.locator("body")).to_contain_text("Correction recorded.")

    public = page.context.browser.new_page()  # the public: not signed in
    public.goto(f"{base}/prg/meetings/2019-03-06/")
    versions = public.get_by_role("list", name="Versions of the minutes")
    expect(versions).to_contain_text("Version 2")
    expect(versions).to_contain_text("The report's title was misquoted.")
    expect(versions).to_contain_text("Version 1")
    public.goto(f"{base}/prg/meetings/2019-03-06/minutes/")
    expect(public.locator("main")).to_contain_text("the corrected report on violent crime")

    first = public.request.get(f"{base}/prg/meetings/2019-03-06/documents/1/minutes.pdf")
    second = public.request.get(f"{base}/prg/meetings/2019-03-06/documents/2/minutes.pdf")
    assert first.ok and second.ok
    assert first.body().startswith(b"%PDF") and second.body().startswith(b"%PDF")
    assert first.body() != second.body()
    public.close()
