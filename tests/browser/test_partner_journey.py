"""The partner's journey in Debian's Chromium: sign in from a public page and come back to it,
update an action, be told clearly about a bad date, sign out onto the site, and reset a
forgotten password through the link in the e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from actions.models import ActionUpdate
from members.models import Interest
from tests.public_world import build_world
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESET_LINK = re.compile(r"https?://\S+/accounts/password-reset/\S+/\S+/")
NEW_PASSWORD = "correct-horse-battery-staple-2019"


def sign_in_from(page: Page, password: str) -> None:
    page.get_by_role("link", name="Sign in").click()
    page.fill("#id_username", "partner")
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("main")).to_contain_text("You are signed out.")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_partner_updates_an_action_corrects_a_date_signs_out_and_resets_the_password(
    live_server: LiveServer, page: Page
) -> None:
    world = build_world()
    cache.clear()  # the password reset's hourly allowance
    action = world.circulated_action
    base = live_server.url
    page.set_default_timeout(10_000)

    # Signing in from a public page comes back to it.
    page.goto(f"{base}/prg/members/")
    sign_in_from(page, PASSWORD)
    expect(page).to_have_url(f"{base}/prg/members/")
    page.get_by_role("link", name="Partners' dashboard").click()
    expect(page.get_by_role("heading", name="Partners' dashboard")).to_be_visible()

    # An action: the note is marked public before it is posted.
    card = page.locator(f"#action-{action.pk}")
    expect(card).to_contain_text("Note (public)")
    card.get_by_label("Status").select_option("ongoing")
    card.get_by_label("Note (public)").fill("The letter to the boroughs has been drafted.")
    card.get_by_role("button", name="Post update").click()
    expect(page.locator("main")).to_contain_text(f"Your update on “{action}” is recorded.")
    assert ActionUpdate.objects.filter(
        action=action, note="The letter to the boroughs has been drafted."
    ).exists()

    # An interest that ends before it was registered: a clear message, at the dashboard's
    # address, with what was typed kept; then corrected and saved.
    page.fill("#id_interest-description", "Trustee of a youth charity")
    page.select_option("#id_interest-category", index=1)
    page.fill("#id_interest-registered_on", "2019-03-01")
    page.fill("#id_interest-ended_on", "2019-01-31")
    page.get_by_role("button", name="Add the interest").click()
    expect(page).to_have_title(re.compile(r"^Error: Partners' dashboard"))
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(
        "The interest was registered on 1 March 2019, "
        "so it cannot end before that (31 January 2019)."
    )
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/partners/"))
    expect(page.locator("#id_interest-description")).to_have_value("Trustee of a youth charity")
    assert "constraint" not in page.content().lower()
    page.fill("#id_interest-ended_on", "")
    page.get_by_role("button", name="Add the interest").click()
    expect(page.locator("main")).to_contain_text("The interest is added to your register.")
    assert Interest.objects.filter(description="Trustee of a youth charity").exists()

    # Signing out lands on the site's own home page.
    sign_out(page, base)

    # A forgotten password, reset through the link in the e-mail.
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Forgotten your password?").click()
    page.fill("#id_email", "jake@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert len(mail.outbox) == 1  # the live server answers in this process
    page.goto(RESET_LINK.search(mail.outbox[0].body).group(0))
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()

    # The new password works, and without a page to return to the partner sees the dashboard.
    page.goto(f"{base}/")
    sign_in_from(page, NEW_PASSWORD)
    expect(page).to_have_url(f"{base}/partners/")
    sign_out(page, base)
