"""WCAG 2.2 AA in Debian's Chromium: axe-core finds no violation on the public pages and the
partners' dashboard; the pages work from the keyboard alone with JavaScript switched off;
minutes print without the site around them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from members.models import Interest
from tests.public_world import World, build_world
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_pages(world: World) -> list[str]:
    return [
        "/",
        "/prg/",
        "/prg/meetings/?year=2019",
        "/prg/meetings/2019-05-01/",
        f"/prg/meetings/{world.upcoming.key}/",
        "/prg/meetings/2019-03-06/minutes/",
        "/prg/members/",
        "/prg/members/jake-ferguson/",
        "/prg/terms/",
        "/search/?q=violence",
        "/search/?q=nothing-matches-this",
        "/accessibility/",
    ]


def assert_accessible(page: Page, path: str) -> None:
    """No axe violation, no script, one h1, and the page is in English."""
    assert page.locator("script").count() == 0, f"{path} has a script"
    assert page.locator("h1").count() == 1, f"{path} has {page.locator('h1').count()} h1"
    results = Axe().run(page)
    assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"


def sign_in_with_keyboard(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/partners/")
    page.locator("#id_username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Partners' dashboard")).to_be_visible()


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element has focus: proves it is reachable from the keyboard."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_public_pages_and_the_dashboard_have_no_axe_violations_and_minutes_print_cleanly(
    live_server: LiveServer,
    page: Page,
) -> None:
    world = build_world()
    page.set_default_timeout(10_000)
    for path in public_pages(world):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert_accessible(page, path)
    interest = Interest.objects.create(person=world.person_a, description="Trustee of a charity")
    sign_in_with_keyboard(page, live_server.url, world.partner_a.username)
    for path in (
        "/partners/",
        f"/prg/meetings/{world.upcoming.key}/",
        f"/prg/meetings/{world.circulated.key}/minutes/",
        f"/partners/interests/{interest.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, path)

    # Minutes print without the site's navigation around them.
    page.goto(f"{live_server.url}/prg/meetings/2019-03-06/minutes/")
    expect(page.locator("header.navbar")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.navbar")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_pages_work_from_the_keyboard_without_javascript(
    live_server: LiveServer, browser: Browser
) -> None:
    world = build_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url

    # The skip link is the first stop and moves the focus to the main content.
    page.goto(f"{base}/prg/meetings/?year=2019")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    # Follow a meeting from the list by keyboard.
    tab_to(page, "a[href='/prg/meetings/2019-05-01/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("1 May 2019")
    expect(page.get_by_text("Report not for publication")).to_be_visible()

    # Search: type and press Enter; then narrow to a year and submit with the button.
    page.goto(f"{base}/search/")
    tab_to(page, "#q")
    page.keyboard.type("Ofsted")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_contain_text("for “Ofsted”")
    expect(page.locator(".search-results mark").first).to_have_text("Ofsted")
    tab_to(page, "#year-filter")
    page.keyboard.press("ArrowDown")  # All years → the latest year (the upcoming meeting's)
    page.keyboard.press("ArrowDown")  # → 2019
    expect(page.locator("#year-filter")).to_have_value("2019")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_contain_text("in 2019")

    # A partner signs in, posts a status update and adds an interest, all by keyboard.
    sign_in_with_keyboard(page, base, world.partner_a.username)
    prefix = f"action-{world.circulated_action.pk}"
    tab_to(page, f"#id_{prefix}-note")
    page.keyboard.type("Letters drafted; going out this week.")
    page.keyboard.press("Tab")
    expect(
        page.locator(f"#action-{world.circulated_action.pk} button[type=submit]")
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("is recorded")

    page.locator("#id_interest-description").focus()
    page.keyboard.type("Trustee of a youth charity")
    page.locator("#id_interest-registered_on").focus()
    page.keyboard.type("01012019")
    tab_to(page, "section[aria-labelledby=interests] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("added to your register")
    expect(page.get_by_role("rowheader", name="Trustee of a youth charity")).to_be_visible()
    context.close()
