"""Issue 13's "Must show" in Debian's Chromium: a new secretary records a past meeting of a
board that has nothing yet — terms of reference drafted and endorsed, members with dated roles,
a 2018 meeting with its agenda and a paper, the agenda's publication as history, attendance on
the grid, minutes with two "Action:" lines, approval at a later meeting, the minutes'
publication as history. The public page and the PDFs then carry the dates and roles of 2018,
and no e-mail was sent. Run with JavaScript on and off; prints the page loads and form posts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from meetings.models import Meeting
from members.models import Body
from tests.browser.test_history_journey import count_navigation
from tests.browser.test_secretary_journeys import sign_in
from tests.world import account
from vru_governance.accounts.users import ensure_groups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "/manage/ssp"
MAY = f"{BODY}/meetings/2018-05-15"
LEADER = "Cllr Lib Peck, Leader of Lambeth Council"
DIRECTOR = "Director of the Violence Reduction Unit"


@pytest.fixture(autouse=True)
def mail_kept_in_memory(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def paper_pdf(tmp_path: Path) -> Path:
    """A one-page paper as a partner would send it."""
    from weasyprint import HTML

    path = tmp_path / "violence-in-numbers.pdf"
    html = "<html lang='en'><head><title>Violence in numbers</title></head><body>"
    html += "<h1>Violence in numbers</h1><p>Knife crime with injury, April 2018.</p></body></html>"
    HTML(string=html).write_pdf(str(path), pdf_variant="pdf/ua-1")
    return path


def test_a_past_meeting_of_an_empty_body_is_recorded_with_javascript_on(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    record_from_nothing(live_server, page, tmp_path, "JavaScript on")


def test_a_past_meeting_of_an_empty_body_is_recorded_with_javascript_off(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        record_from_nothing(live_server, context.new_page(), tmp_path, "JavaScript off")
    finally:
        context.close()


def new_body() -> None:
    """The board, and its secretary's account, as the site's administrator sets them up."""
    secretariat, _ = ensure_groups()
    body = Body.objects.create(slug="ssp", name="Safer Streets Partnership Board")
    secretary = account("secretary", first_name="Sam", last_name="Clerk")
    secretary.groups.add(secretariat)
    body.secretaries.add(secretary)


def ok(page: Page, text: str) -> None:
    expect(page.locator(".alert-success")).to_contain_text(text)


def draft_and_endorse_terms(page: Page, base: str) -> None:
    page.goto(f"{base}{BODY}/members/")
    page.get_by_role("link", name="Draft a new version").click()
    page.fill("#id_version", "2018")
    page.fill("#id_title", "Terms of Reference 2018")
    page.fill("#id_effective_from", "2018-01-01")
    page.fill("#id_quorum_fraction", "1/2")
    seats = [
        ("Chair of the Partnership", "chair", "1"),
        ("Assistant Commissioner, Metropolitan Police Service", "police", "1"),
        ("Community representatives", "community", ""),
    ]
    for n, (label, sector, count) in enumerate(seats):
        page.fill(f"#id_seats-{n}-label", label)
        page.select_option(f"#id_seats-{n}-sector", sector)
        page.fill(f"#id_seats-{n}-count", count)
    page.get_by_role("button", name="Save the draft").click()
    ok(page, "Draft Terms of Reference 2018 saved.")
    page.get_by_role("button", name="Endorse").click()
    ok(page, "in force from 1 January 2018")


def add_person(page: Page, base: str, name: str, honorific: str = "", role: str = "") -> None:
    page.goto(f"{base}{BODY}/people/new/")
    page.fill("#id_honorific", honorific)
    page.fill("#id_name", name)
    page.fill("#id_role", role)
    page.get_by_role("button", name=re.compile("^Save")).click()
    ok(page, f"Saved {name}.")


def appoint(page: Page, base: str, name: str, seat: str, start: str, **more: str) -> None:
    page.goto(f"{base}{BODY}/members/appoint/?start={start}")
    page.select_option("#id_person", label=name)
    page.select_option("#id_seat_key", seat)
    page.fill("#id_start", start)
    for field, value in more.items():
        page.fill(f"#id_{field}", value)
    page.get_by_role("button", name="Appoint", exact=True).click()
    ok(page, f"{name} appointed from")


def create_meeting(page: Page, base: str, date: str) -> None:
    page.goto(f"{base}{BODY}/meetings/")
    page.fill("#id_date", date)
    page.fill("#id_start_time", "14:00")
    page.fill("#id_place", "Committee Room 1, City Hall")
    page.get_by_role("button", name="Create the meeting").click()
    ok(page, "created")


def record_from_nothing(live_server: LiveServer, page: Page, tmp_path: Path, how: str) -> None:
    new_body()
    mail.outbox = []
    base = live_server.url
    seen = count_navigation(page)
    sign_in(page, base)

    draft_and_endorse_terms(page, base)

    # Members with dated roles: Lib Peck chaired as Leader of Lambeth Council in 2018, and
    # as the VRU's Director from 2019.
    add_person(page, base, "Ebinehita Iyere", role="Founder, Milk Honey Bees")
    add_person(page, base, "Lib Peck", role=DIRECTOR)
    appoint(page, base, "Ebinehita Iyere", "community-representatives", "2018-01-01")
    appoint(
        page,
        base,
        "Lib Peck",
        "chair-of-the-partnership",
        "2018-01-01",
        end="2019-01-31",
        honorific="Cllr",
        role="Leader of Lambeth Council",
    )
    appoint(page, base, "Lib Peck", "chair-of-the-partnership", "2019-02-01", role=DIRECTOR)

    # The meeting of 15 May 2018, its agenda and a paper.
    create_meeting(page, base, "2018-05-15")
    page.fill("#id_add-title", "Violence in numbers")
    page.fill("#id_add-presenter", "Lib Peck")
    page.get_by_role("button", name="Add the item").click()
    ok(page, "added")
    page.locator("#agenda-items a", has_text="Violence in numbers").click()
    page.get_by_role("link", name="Upload a PDF paper").click()
    page.fill("#id_title", "Violence in numbers, April 2018")
    page.set_input_files("#id_upload", str(paper_pdf(tmp_path)))
    page.get_by_role("button", name="Save the paper").click()
    ok(page, "saved")

    # Its agenda's publication, as history.
    page.goto(f"{base}{MAY}/publish/")
    expect(page.locator("#history-note")).to_be_visible()
    for reason in page.locator("form textarea").all():
        reason.fill("Recorded from the paper file of 2018.")
    page.fill("#id_published_on", "2018-05-08")
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Publish the agenda").click(timeout=60_000)
    ok(page, "Agenda recorded as published on 8 May 2018; no one was e-mailed.")

    # Attendance on the grid, one save.
    page.goto(f"{base}{MAY}/attendance/")
    for choice in page.locator('#attendance-grid input[value="present"]').all():
        choice.check()
    page.get_by_role("button", name="Save attendance").click()
    ok(page, "Attendance saved")

    # Minutes with two "Action:" lines.
    page.goto(f"{base}{MAY}/minutes/")
    page.locator(".minutes-item", has_text="Violence in numbers").get_by_role(
        "link", name=re.compile("^Write the minutes")
    ).click()
    page.locator("#item-minutes textarea[name$='-text']").last.fill(
        "Lib Peck presented the latest figures on violent crime.\n"
        "Action: Lib Peck — To share the borough breakdown with partners.\n"
        "Action: Ebinehita Iyere — To gather young people's views on the figures."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    ok(page, "saved")
    # Each action's wording (taken from its line) and deadline confirmed.
    page.goto(f"{base}{MAY}/minutes/")
    for deadline in ("2018-06-30", "2018-07-15"):
        page.locator("#unconfirmed + ul a").first.click()
        page.fill("#id_deadline", deadline)
        page.get_by_role("button", name="Confirm the action").click()
        ok(page, "Action confirmed")

    # The later meeting, at which the minutes were approved.
    create_meeting(page, base, "2018-07-17")

    page.goto(f"{base}{MAY}/minutes/")
    page.fill("#id_circulate-on", "2018-05-22")
    page.get_by_role("button", name="Record the circulation").click()
    ok(page, "circulated on 22 May 2018")
    # The later meeting is offered as its agenda has it ("Minutes of last meeting", item 3).
    page.select_option("#id_at_meeting", label="17 July 2018, item 3")
    page.fill("#id_approved_on", "2018-07-17")
    page.get_by_role("button", name="Record the approval").click()
    expect(page.locator("#minutes-approved")).to_contain_text(
        "at the meeting of 17 July 2018 on 17 July 2018"
    )
    page.fill("#id_publish-on", "2018-07-24")
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Record the publication").click(timeout=60_000)
    expect(page.locator("#minutes-published")).to_contain_text("24 July 2018 (recorded as history)")

    assert mail.outbox == []
    may = Meeting.objects.get(body__slug="ssp", key="2018-05-15")
    assert may.status == "minutes_published" and may.recorded_as_history
    assert sorted(a.description for a in may.actions.all()) == [
        "To gather young people's views on the figures.",
        "To share the borough breakdown with partners.",
    ]

    # What the public reads: the dates and the role of 2018.
    public = page.context.browser.new_page()
    public.goto(f"{base}/ssp/meetings/2018-05-15/")
    main = public.locator("main")
    expect(main).to_contain_text("15 May 2018")
    expect(public.locator("#record-dates")).to_have_text(
        "Agenda published on 8 May 2018. Minutes approved on 17 July 2018 and published on "
        "24 July 2018."
    )
    expect(main).to_contain_text(LEADER)
    texts = {}
    for link in public.locator("main a[href$='.pdf']").all():
        href = link.get_attribute("href")
        response = public.request.get(f"{base}{href}" if href.startswith("/") else href)
        reader = pypdf.PdfReader(io.BytesIO(response.body()))
        texts[href] = " ".join(p.extract_text() for p in reader.pages)
    feed = public.request.get(f"{base}/ssp/feed.atom").text()
    assert "<updated>2018-07-24T" in feed and "<updated>2018-05-08T" in feed
    public.close()
    agenda = next(t for h, t in texts.items() if "agenda" in h)
    minutes = next(t for h, t in texts.items() if "minutes" in h)
    flat = {k: re.sub(r"\s+", " ", v) for k, v in {"agenda": agenda, "minutes": minutes}.items()}
    for name, text in flat.items():
        assert "Tuesday 15 May 2018" in text, name
        assert LEADER in text and DIRECTOR not in text, name  # the role as it was that day
    assert "Violence in numbers" in flat["agenda"]
    # Each action line prints its owner and its own words; a new body is not the Mayor of
    # London, and its first meeting has no earlier meeting whose minutes or actions to take.
    assert "Action: Lib Peck — To share the borough breakdown with partners." in flat["minutes"]
    assert (
        "Action: Ebinehita Iyere — To gather young people's views on the figures."
        in flat["minutes"]
    )
    for text in texts.values():
        assert "MAYOR OF LONDON" not in text
    assert "Actions Arising" not in flat["agenda"]
    assert "Minutes of last meeting" not in flat["agenda"]
    assert mail.outbox == []

    print(
        f"\nPast meeting from an empty body ({how}): {seen['page loads']} page loads, "
        f"{seen['form posts']} form posts"
    )
