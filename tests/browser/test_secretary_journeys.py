"""The secretary's journeys in Debian's Chromium: re-creating the 6 March 2019 meeting from
the seed minutes, and a quorum lost when the health members leave."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.demo import DEMO_FILE, demo_document
from tests.world import PASSWORD, build_cast
from vru_governance.records.importer import import_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACE = "Committee Room 1, City Hall, The Queen's Walk, London, SE1 2AA"
# The seed's Present list (partners) and Apologies, 6 March 2019.
PRESENT = [
    "sadiq-khan",
    "sophie-linden",
    "joanne-mccartney",
    "debbie-weekes-bernard",
    "james-banks",
    "jamie-carswell",
    "carolyn-downs",
    "sam-everington",
    "jake-ferguson",
    "mary-harpley",
    "ebinehita-iyere",
    "rebecca-lawrence",
    "ben-lindsay",
    "carmel-littleton",
    "john-obrien",
    "lib-peck",
    "mark-simmons",
    "kilvinder-vigurs",
]
APOLOGIES = ["gabriel-amahwe", "nicky-brownjohn", "vin-diwakar", "yvonne-doyle", "joanne-murfitt"]


SUBSTITUTES = (("Vicky Hobart", "Professor Yvonne Doyle"), ("Caroline Reid", "Joanne Murfitt"))
IN_ATTENDANCE = ("Lynne Abrams", "Amy Gelsthorpe-Hill", "Mike Sheridan")


def record_attendance_grid(page: Page) -> None:
    """Fill the attendance grid as the seed minutes of 6 March record it, and save it once."""
    for key in PRESENT:
        page.locator(f'tr[data-person="{key}"] input[value="present"]').check()
    for key in APOLOGIES:
        page.locator(f'tr[data-person="{key}"] input[value="apologies"]').check()
    rows = [*SUBSTITUTES, *((who, "") for who in IN_ATTENDANCE)]
    for n, (who, member) in enumerate(rows, start=1):
        page.get_by_label(f"New person {n}: name").fill(who)
        page.get_by_label(f"New person {n}: on behalf of").fill(member)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".alert-success")).to_contain_text("Attendance saved")
    for who, member in SUBSTITUTES:
        row = page.locator("#others tr", has_text=who)
        expect(row.locator('input[name$="-on_behalf_of"]')).to_have_value(member)
    for who in IN_ATTENDANCE:
        expect(page.locator("#others")).to_contain_text(who)


def load(without_march: bool, march_undecided: bool = False) -> None:
    """The demo records; with `march_undecided`, 6 March 2019 as on the day itself: agenda
    published, no outcome recorded yet (approved minutes and recorded outcomes both, rightly,
    refuse attendance changes that would unmake them)."""
    document = demo_document()
    body = document["bodies"][0]
    if without_march:
        body["meetings"] = [m for m in body["meetings"] if m["key"] == "2019-01-22"]
    for meeting in body["meetings"]:
        if march_undecided and meeting["key"] == "2019-03-06":
            meeting["status"] = "agenda_published"
            for item in meeting["items"]:
                item.pop("outcome", None)
                item.pop("decision_paragraph", None)
    import_records(document, base_dir=DEMO_FILE.parent)
    build_cast()  # Amy Gelsthorpe-Hill, the secretary, signs in with PASSWORD


def sign_in(page: Page, base: str) -> None:
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/?next=/manage/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your bodies")).to_be_visible()


def add_item(page: Page, title: str, presenter: str = "", sub_after: str = "") -> None:
    page.fill("#id_add-title", title)
    page.fill("#id_add-presenter", presenter)
    if sub_after:
        page.check("#id_add-sub_item")
        page.select_option("#id_add-after", label=sub_after)
    page.get_by_role("button", name="Add the item").click()
    expect(page.locator(".alert-success")).to_contain_text("added")


def write_minutes(
    page: Page, base: str, number: str, paragraphs: list[str], outcome: str = ""
) -> None:
    page.goto(f"{base}/manage/prg/meetings/2019-03-06/minutes/items/{number}/")
    for i, text in enumerate(paragraphs):
        page.locator("#item-minutes textarea[name$='-text']").last.fill(text)
        if outcome:
            page.select_option("#id_outcome", outcome)
        last = i == len(paragraphs) - 1
        page.get_by_role(
            "button", name="Save" if last else "Save and add another paragraph", exact=True
        ).click()
        expect(page.locator(".alert-success")).to_contain_text(f"item {number} saved")


def test_secretary_recreates_the_6_march_2019_meeting_from_the_seed(
    live_server: LiveServer,
    page: Page,
    screenshot: Callable[[str], Path],
) -> None:
    load(without_march=True)
    base = live_server.url
    sign_in(page, base)

    # 2. Agenda: a new meeting starts with the standard agenda.
    page.goto(f"{base}/manage/prg/meetings/")
    page.fill("#id_date", "2019-03-06")
    page.fill("#id_start_time", "14:00")
    page.fill("#id_place", PLACE)
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.locator("#agenda-items")).to_contain_text("Minutes of last meeting")
    # The 6 March meeting had no "minutes of last meeting" item.
    # Removing asks first, on a page of its own (a plain form: no script needed).
    page.locator('tr[data-number="3"]').get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Remove item 3").click()
    expect(page.locator("#agenda-items")).not_to_contain_text("Minutes of last meeting")
    add_item(
        page,
        "Violence in Numbers",
        "Mark Simmons, Assistant Commissioner, Metropolitan Police Service",
    )
    add_item(
        page,
        "Presentation: Ofsted Safeguarding Knife Crime Thematic Review",
        "Mike Sheridan, London Director, Ofsted",
    )
    add_item(page, "VRU Progress Update", "Lib Peck, VRU Director")
    add_item(
        page, "Delivery Model", "Lynne Abrams, Head of VRU", sub_after="Item 6: VRU Progress Update"
    )
    add_item(page, "Forward Plan")
    # Date of next meeting before any other business, as on 6 March.
    page.locator('tr[data-number="9"]').get_by_role("button", name="Up").click()
    numbers = page.locator("#agenda-items th.item-number").all_inner_texts()
    assert numbers == ["1", "2", "3", "4", "5", "6", "6a", "7", "8", "9", "10"]
    expect(page.locator('tr[data-number="6a"]')).to_contain_text("Delivery Model")
    expect(page.locator('tr[data-number="8"]')).to_contain_text("Date of next meeting")
    screenshot("agenda")

    # 3. Publish: failed checks are acknowledged with a reason.
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.locator('[data-check="composition"]')).to_contain_text("Failed")
    expect(page.locator('[data-check="equality"]')).to_contain_text("Passed")
    screenshot("publish-checklist")
    for area in page.locator("form textarea").all():
        area.fill("Re-created from the published minutes of 6 March 2019.")
    # The publication job renders the packs before the page answers (the tests' jobs run at
    # once, on commit); a loaded machine may take tens of seconds.
    page.get_by_role("button", name="Publish the agenda").click(timeout=90_000)
    expect(page.locator("#meeting-status")).to_have_text("Agenda published", timeout=30_000)

    # 4. Attendance on one grid, one save: the seed's partners, apologies, substitutes and
    # officers, everyone for the whole meeting.
    page.get_by_role("link", name="Attendance", exact=True).click()
    record_attendance_grid(page)
    expect(page.locator("#quorum-summary")).to_contain_text("Quorate for every item")
    expect(page.locator("#quorum-summary")).to_contain_text("23 members; 12 needed")
    screenshot("attendance")

    # 5. Minutes with their "Action:" lines.
    write_minutes(
        page,
        base,
        "1",
        [
            "The Mayor welcomed Partners and attendees to the meeting and noted apologies as "
            "above.",
            "The Mayor shared that Niven Rennie and Will Linden from the Scottish VRU would "
            "continue to be involved in the VRU; he shared formal thanks for their continued "
            "support and noted that he would send a letter of thanks after the meeting.\n"
            "Action: Clerk",
        ],
    )
    write_minutes(page, base, "2", ["There were no declarations of interest."])
    write_minutes(
        page,
        base,
        "3",
        [
            "The updates on the actions arising from the last meeting, held on 22 January 2019, "
            "were noted.",
            "Lib Peck and Jake Ferguson would discuss the possibility of a future paper on "
            "systemic institutional challenges outside the meeting.\n"
            "Action: Lib Peck and Jake Ferguson",
        ],
        outcome="noted",
    )
    write_minutes(
        page,
        base,
        "4",
        [
            "Mark Simmons presented the report outlining the latest data on violent crime and "
            "policing activity.",
            "Partners discussed the need for additional crime data and it was agreed that Lib Peck "
            "would consider the VRU's overall data requirements before seeking further data from "
            "the Metropolitan Police Service.\nAction: Lib Peck",
        ],
        outcome="noted",
    )
    write_minutes(page, base, "10", ["The meeting closed at 3:55pm."])
    page.goto(f"{base}/manage/prg/meetings/2019-03-06/minutes/")
    page.fill("#id_end_time", "15:55")
    page.get_by_role("button", name="Save the closing time").click()
    expect(page.locator("#unconfirmed")).to_contain_text("3 actions")
    screenshot("minutes-draft")
    # The secretary confirms each action's wording and deadline.
    wording = {
        "Clerk": (
            "The Mayor to send a letter of thanks to the Scottish VRU for its continued "
            "involvement and support.",
            "2019-03-31",
        ),
        "Lib Peck and Jake Ferguson": (
            "To discuss the possibility of a future paper on "
            "systematic challenges outside the meeting.",
            "2019-03-31",
        ),
        "Lib Peck": (
            "To consider the VRU's overall data requirements before seeking further "
            "data from the Metropolitan Police Service.",
            "2019-04-30",
        ),
    }
    for _ in range(3):
        link = page.locator("#unconfirmed + ul a").first
        owners = re.sub(r"^Item \w+: ", "", link.inner_text())
        link.click()
        description, deadline = wording[owners]
        page.fill("#id_description", description)
        page.fill("#id_deadline", deadline)
        if _ == 0:
            screenshot("action-confirm")
        page.get_by_role("button", name="Confirm the action").click()
        expect(page.locator(".alert-success")).to_contain_text("Action confirmed")

    page.get_by_role("link", name="Preview", exact=True).click()
    preview = page.locator("#minutes-preview")
    expect(preview).to_contain_text("Present:")
    expect(preview).to_contain_text("Sadiq Khan, Mayor of London")
    expect(preview).to_contain_text("attending on behalf of Professor Yvonne Doyle")
    expect(preview).to_contain_text("In attendance")
    expect(preview).to_contain_text("Apologies")
    expect(preview).to_contain_text("3.2")
    expect(preview).to_contain_text("Action: Lib Peck and Jake Ferguson")
    expect(preview).to_contain_text("The meeting closed at")
    screenshot("minutes-preview")

    # Lifecycle: circulated, approved by the Chair, published.
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_role("button", name="Circulate to partners").click()
    expect(page.locator("#meeting-status")).to_have_text("Minutes circulated to partners")
    page.check("#id_by_chair")
    page.get_by_role("button", name="Record the approval").click()
    expect(page.locator("#meeting-status")).to_have_text("Minutes approved")
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.locator("#meeting-status")).to_have_text("Minutes published")
    expect(page.locator("#minutes-published")).to_be_visible()
    screenshot("minutes-published")
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.locator("#history-title")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Minutes published")
    screenshot("history")


def test_removing_the_health_members_shows_the_health_group_missing(
    live_server: LiveServer,
    page: Page,
    screenshot: Callable[[str], Path],
) -> None:
    # On the day, before any outcome is recorded: this journey is about the live quorum.
    load(without_march=False, march_undecided=True)
    base = live_server.url
    sign_in(page, base)
    page.goto(f"{base}/manage/prg/meetings/2019-03-06/attendance/")
    expect(page.locator("#quorum-summary")).to_contain_text("Quorate for every item")
    # Sir Sam Everington was the only health member present; Vicky Hobart stood in for
    # Professor Yvonne Doyle (a health member) but a representative does not satisfy the group.
    page.locator('tr[data-person="sam-everington"] input[value="absent"]').check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".alert-success")).to_contain_text("Attendance saved")
    page.get_by_label("Remove Vicky Hobart").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#quorum-summary")).to_contain_text("Not quorate")
    expect(page.locator("#quorum-missing")).to_contain_text("Health representative")
    expect(page.locator('tr[data-item="4"]')).to_have_attribute("data-quorate", "no")
    screenshot("health-missing")
