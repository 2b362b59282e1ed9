"""Recording a past meeting as history in Debian's Chromium: the June 2019 agenda published on
the day it really was, its minutes circulated, approved at a later meeting with no "Minutes of
last meeting" item, and published — every date typed, no e-mail sent; the public feed carries
the historical dates. Prints the page loads and form posts the journey took."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, Request, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from meetings.models import Meeting
from members.models import Person
from tests.browser.test_secretary_journeys import load, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUNE = "/manage/prg/meetings/2019-06-12"


@pytest.fixture(autouse=True)
def mail_kept_in_memory(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def count_navigation(page: Page) -> Counter:
    """Page loads (GET of a document) and form posts (POST of a document), as they happen."""
    seen: Counter = Counter()

    def note(request: Request) -> None:
        if request.resource_type == "document":
            seen["form posts" if request.method == "POST" else "page loads"] += 1

    page.on("request", note)
    return seen


def test_a_past_meeting_is_recorded_as_history_with_its_dates_and_no_email(
    live_server: LiveServer, page: Page
) -> None:
    record_the_past(live_server, page, "JavaScript on")


def test_the_same_history_is_recorded_with_javascript_off(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        record_the_past(live_server, context.new_page(), "JavaScript off")
    finally:
        context.close()


def record_the_past(live_server: LiveServer, page: Page, how: str) -> None:
    """The journey, from an empty outbox to the public feed; prints its page loads and posts."""
    load(without_march=False)
    # Partners with addresses: a live publication would e-mail them.
    Person.objects.filter(key__in=["jake-ferguson", "ben-lindsay"]).update(
        email="partner@example.org"
    )
    mail.outbox = []
    base = live_server.url
    seen = count_navigation(page)
    sign_in(page, base)

    # The meeting that approved the minutes: created as the secretary would, with no items
    # needed for the approval.
    page.goto(f"{base}/manage/prg/meetings/")
    page.fill("#id_date", "2019-07-24")
    page.fill("#id_start_time", "10:00")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.locator(".alert-success")).to_contain_text("24 July 2019")

    page.goto(f"{base}{JUNE}/publish/")
    expect(page.locator("#history-note")).to_be_visible()
    for reason in page.locator("form textarea").all():
        reason.fill("Recorded from the paper file of 2019.")
    page.fill("#id_published_on", "2019-06-05")
    # Publishing renders and stores the agenda pack's PDFs before the page answers: allow for
    # it, and wait for the answer so the test never ends with the request still running.
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Publish the agenda").click(timeout=60_000)
    expect(page.locator(".alert-success")).to_contain_text(
        "Agenda recorded as published on 5 June 2019; no one was e-mailed."
    )

    # Attendance on the grid, one save: everyone present for the whole meeting but one, who
    # sent a substitute; two people in attendance, one of them new to the system.
    page.goto(f"{base}{JUNE}/attendance/")
    for choice in page.locator('#attendance-grid input[value="present"]').all():
        choice.check()
    page.locator('tr[data-person="yvonne-doyle"] input[value="apologies"]').check()
    page.locator('tr[data-person="sadiq-khan"] input[name$="-to_item"]').fill("5")
    page.get_by_label("New person 1: name").fill("Vicky Hobart")
    page.get_by_label("New person 1: on behalf of").fill("Professor Yvonne Doyle")
    page.get_by_label("New person 2: name").fill("Lynne Abrams")
    page.get_by_label("New person 3: name").fill("Ada Newcomer")
    page.get_by_label("New person 3: role").fill("Head of Research, GLA")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".alert-success")).to_contain_text("Attendance saved")
    expect(page.locator("#quorum-summary")).to_contain_text("Quorate for every item")
    expect(
        page.locator('tr[data-attendee="vicky-hobart"] input[name$="-on_behalf_of"]')
    ).to_have_value("Professor Yvonne Doyle")

    page.goto(f"{base}{JUNE}/minutes/items/1/")
    page.locator("#item-minutes textarea[name$='-text']").last.fill(
        "The Chair welcomed everyone to the meeting."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Minutes of item 1 saved.")

    page.goto(f"{base}{JUNE}/minutes/")
    page.fill("#id_circulate-on", "2019-06-20")
    page.get_by_role("button", name="Record the circulation").click()
    expect(page.locator(".alert-success")).to_contain_text("circulated on 20 June 2019")

    later = Meeting.objects.get(key="2019-07-24")
    page.select_option("#id_at_meeting", value=str(later.pk))
    page.get_by_role("button", name="Record the approval").click()
    expect(page.locator("#minutes-approved")).to_contain_text(
        "at the meeting of 24 July 2019 on 24 July 2019"
    )

    page.fill("#id_publish-on", "2019-07-30")
    with page.expect_navigation(timeout=60_000):  # the minutes' PDFs, as for the agenda
        page.get_by_role("button", name="Record the publication").click(timeout=60_000)
    expect(page.locator("#minutes-published")).to_contain_text("30 July 2019 (recorded as history)")

    june = Meeting.objects.get(key="2019-06-12")
    assert june.status == "minutes_published" and june.recorded_as_history
    assert mail.outbox == []  # no partner was told about a five-year-old meeting
    recorded = {a.person.name: a for a in june.attendance.select_related("person", "to_item")}
    assert recorded["Vicky Hobart"].capacity == "substitute"
    assert recorded["Ada Newcomer"].capacity == "in_attendance"
    assert recorded["Sadiq Khan"].to_item.number == "5"

    public = page.context.browser.new_page()
    feed = public.request.get(f"{base}/prg/feed.atom").text()
    assert "<updated>2019-07-30T" in feed and "<updated>2019-06-05T" in feed
    public.goto(f"{base}/prg/")
    expect(public.locator("main")).to_contain_text("Minutes: ")
    public.close()

    print(
        f"\nHistory journey ({how}): {seen['page loads']} page loads, "
        f"{seen['form posts']} form posts"
    )
