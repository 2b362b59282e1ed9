"""WCAG 2.2 AA in Debian's Chromium: axe-core finds no violation on the public pages (404 and
500 included) and the partners' dashboard, at 1280 px and at 320 px (the 400% zoom case),
where no page scrolls sideways; focus rings have 3:1 contrast; the pages work from the
keyboard alone with JavaScript switched off; minutes print without the site around them."""

from __future__ import annotations

from unittest import mock

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
        "/prg/attendance/?year=2019",
        "/prg/interests/",
        "/prg/forward-plan/",
        "/prg/actions/?status=all",
        "/prg/contact/",
        "/prg/meetings/2019-03-06/",
        "/search/?q=violence",
        "/search/?q=nothing-matches-this",
        "/accessibility/",
        "/privacy/",
        "/alerts/?body=prg&q=violence",
        "/alerts/sent/",
    ]


# Desktop, and a phone at 320 CSS px: what 1280 px looks like at 400% zoom (WCAG 1.4.10).
WIDTHS = (1280, 320)
NOT_FOUND = "/prg/meetings/no-such-meeting/"
BROKEN = "/prg/meetings/"  # answers 500 while its query is made to fail


# The elements that stick out to the right, to say what made a page too wide.
WIDER_THAN_THE_PAGE = """() => [...document.querySelectorAll("main *, header *, footer *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 60)}`)"""


def assert_fits_the_width(page: Page, path: str) -> None:
    """Nothing makes the page scroll sideways, and the menu's last link is not clipped."""
    width = page.evaluate("document.documentElement.clientWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(WIDER_THAN_THE_PAGE)
        raise AssertionError(f"{path} scrolls sideways at {width} px ({scroll} px): {wide}")
    last = page.locator("header.navbar .nav-link").last.bounding_box()
    assert last is not None and last["x"] >= 0 and last["x"] + last["width"] <= width, path


def contrast(one: list[float], two: list[float]) -> float:
    """WCAG 2.2 contrast ratio of two sRGB colours given as 0-255 channels."""

    def luminance(rgb: list[float]) -> float:
        c = [v / 255 for v in rgb[:3]]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The focused element's outline, and the background it is drawn on (the first opaque one).
FOCUS_RING = r"""el => {
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const style = getComputedStyle(el);
  let node = el.parentElement, bg = [255, 255, 255];
  for (; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c; break; }
  }
  return {color: rgb(style.outlineColor), width: parseFloat(style.outlineWidth),
          style: style.outlineStyle, background: bg};
}"""


def assert_focus_ring_contrasts(page: Page, selector: str) -> None:
    """The element reached by Tab shows an outline of 2px or more, 3:1 against its ground."""
    tab_to(page, selector)
    ring = page.locator(selector).evaluate(FOCUS_RING)
    assert ring["style"] == "solid" and ring["width"] >= 2, (selector, ring)
    ratio = contrast(ring["color"], ring["background"])
    assert ratio >= 3, f"{selector}: focus ring {ratio:.1f}:1 on its background"


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


def test_every_public_page_with_404_and_500_has_no_axe_violation_and_fits_1280_and_320_px(
    live_server: LiveServer,
    page: Page,
) -> None:
    world = build_world()
    page.set_default_timeout(10_000)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in [*public_pages(world), NOT_FOUND]:
            response = page.goto(f"{live_server.url}{path}")
            expected = 404 if path == NOT_FOUND else 200
            assert response is not None and response.status == expected, path
            assert_accessible(page, path)
            assert_fits_the_width(page, path)
        # A fault in a page's query: the 500 page, in the site's chrome.
        with mock.patch(
            "vru_governance.public.meetings.meetings_visible_to",
            side_effect=RuntimeError("a fault"),
        ):
            response = page.goto(f"{live_server.url}{BROKEN}")
        assert response is not None and response.status == 500
        expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong")
        assert_accessible(page, "the 500 page")
        assert_fits_the_width(page, "the 500 page")


def test_focus_rings_on_links_buttons_and_inputs_have_three_to_one_contrast(
    live_server: LiveServer, page: Page
) -> None:
    build_world()
    page.goto(f"{live_server.url}/search/")
    for selector in (
        ".skip-link",
        "header.navbar a.nav-link[href^='/search/']",
        "header.navbar a.nav-link[href^='/accounts/login/']",
        "#q",
        "#year-filter",
        "main button[type=submit]",
        "footer a[href='/accessibility/']",
    ):
        assert_focus_ring_contrasts(page, selector)


def test_the_dashboard_and_minutes_have_no_axe_violations_and_minutes_print_cleanly(
    live_server: LiveServer,
    page: Page,
) -> None:
    world = build_world()
    page.set_default_timeout(10_000)
    interest = Interest.objects.create(person=world.person_a, description="Trustee of a charity")
    sign_in_with_keyboard(page, live_server.url, world.partner_a.username)
    for path in (
        "/partners/",
        f"/prg/meetings/{world.upcoming.key}/",
        f"/prg/meetings/{world.circulated.key}/minutes/",
        f"/partners/interests/{interest.pk}/",
    ):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{live_server.url}{path}")
            assert_accessible(page, path)
            assert_fits_the_width(page, path)
    page.set_viewport_size({"width": 1280, "height": 800})

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

    # Follow a meeting from the list by keyboard (its date; "Agenda and papers" is the second
    # link to the same page).
    tab_to(page, "a[href='/prg/meetings/2019-05-01/'] >> nth=0")
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
    # The dashboard now lists the recent meetings and their papers before the actions.
    tab_to(page, f"#id_{prefix}-note", limit=200)
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
