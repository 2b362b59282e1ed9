"""A reader's e-mail alert journey in Debian's Chromium, against a real SMTP server on
127.0.0.1 (tests/smtp.py): subscribe from the board's page, confirm from the e-mail, get the
alert when the agenda is published, and unsubscribe in one click as a mail client does
(RFC 8058); every page on the way is axe-clean at 1280 and 320 px and carries no script (so
it works with JavaScript off: axe itself needs JavaScript to run)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from unittest import mock

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from meetings.models import AlertSubscription, MailDelivery
from meetings.services.publication import agenda_checks, publish_agenda
from tests.browser.test_public_accessibility import assert_accessible, assert_fits_the_width
from tests.public_world import build_world
from tests.smtp import Sink, free_port, smtp_settings, start_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = "reader@example.net"


@pytest.fixture
def sink(settings: Settings) -> Iterator[Sink]:
    port = free_port()
    for name, value in smtp_settings(port).items():
        setattr(settings, name, value)
    received = Sink()
    server = start_server(received, port)
    yield received
    server.stop()


def checked(page: Page, what: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, what)
        assert_fits_the_width(page, what)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_subscribe_confirm_get_the_agenda_alert_and_unsubscribe_in_one_click(
    live_server: LiveServer, page: Page, sink: Sink
) -> None:
    world = build_world()
    page.set_default_timeout(10_000)
    base = live_server.url

    # Subscribe from the board's page.
    page.goto(f"{base}/prg/")
    page.get_by_role("link", name="Get e-mail alerts of new agendas and minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get e-mail alerts")
    checked(page, "the alerts form")
    page.get_by_label("Your e-mail address").fill(READER)
    page.get_by_role("button", name="Send me the confirmation e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    checked(page, "check your e-mail")

    # Confirm from the e-mail: the link asks, the button confirms.
    [confirmation] = sink.messages(READER)
    link = re.search(r"http://\S+/alerts/confirm/\S+/", confirmation.get_content()).group(0)
    page.goto(link)
    checked(page, "the confirm page")
    assert AlertSubscription.objects.get(email=READER).confirmed_at is None
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail alerts are on")
    checked(page, "the confirmed page")
    assert AlertSubscription.objects.get(email=READER).confirmed_at is not None

    # The secretary publishes the June agenda: the alert arrives.
    draft = world.draft
    acks = {c.key: "Recorded for the test." for c in agenda_checks(draft) if c.blocks}
    with mock.patch("meetings.services.publication.freeze_published_documents"):
        publish_agenda(draft, world.secretary_a, acks, base_url=f"{base}/")
    alert = sink.messages(READER)[-1]
    assert alert["Subject"].strip().startswith("Agenda published: ")
    assert f"{base}/prg/meetings/2019-06-12/" in alert.get_content()
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = alert["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")

    # The link opened in the browser asks first; a mail client's one-click POST unsubscribes.
    page.goto(unsubscribe)
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    checked(page, "the unsubscribe page")
    response = page.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200 and response.text() == "Unsubscribed.\n"
    assert not AlertSubscription.objects.filter(email=READER).exists()
    assert not MailDelivery.objects.filter(to=READER).exists()
    page.reload()
    expect(page.get_by_text("These alerts are already stopped")).to_be_visible()
