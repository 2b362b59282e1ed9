"""E-mail alerts for the public, against a real SMTP server on 127.0.0.1 (tests/smtp.py): double
opt-in with a signed link, nothing sent before confirmation, alerts when an agenda or minutes
is published (never for a meeting recorded as history), saved searches that never find an
exempt paper, one-click unsubscribe (RFC 8058), the same answer whoever asks, throttling, and
the address kept out of everything public."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from email.message import Message
from unittest import mock

from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import alerts
from meetings.models import AlertSubscription, MailDelivery, Meeting
from meetings.services.minutes_lifecycle import publish_minutes
from meetings.services.publication import agenda_checks, publish_agenda
from tests.public_world import WorldMixin, add_item, add_paper
from tests.smtp import Sink, free_port, smtp_settings, start_server
from vru_governance import page_cache

PORT = free_port()
BASE = "https://gov.example/"
FREEZE = "meetings.services.publication.freeze_published_documents"
READER = "reader@example.net"


def links(message: Message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_payload(decode=True).decode())


def text_of(message: Message) -> str:
    return message.get_payload(decode=True).decode()


@override_settings(**smtp_settings(PORT))
class AlertTests(WorldMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        draft = cls.world.draft
        item = add_item(draft, "9", "Violence hotspots", position=9)
        add_paper(item, "hotspots", "Hotspots in Croydon", "Knife crime hotspots by ward.")
        add_paper(item, "informants", "Payments", "Covert informant payments.", exempt=True)

    def setUp(self) -> None:
        cache.clear()  # the throttle's counts
        self.sink = Sink()
        self.server: Controller = start_server(self.sink, PORT)
        self.addCleanup(self.server.stop)

    # Helpers ---------------------------------------------------------------------------

    def ask(self, email: str = READER, client: Client | None = None, **fields: str) -> str:
        data = {"email": email, "body": "prg", "q": "", **fields}
        with self.captureOnCommitCallbacks(execute=True):
            response = (client or self.client).post("/alerts/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return response["Location"]

    def confirm_link(self, email: str = READER) -> str:
        message = self.sink.messages(email)[-1]
        assert message["Subject"] == "Confirm your e-mail alerts"
        return next(link for link in links(message) if "/alerts/confirm/" in link)

    def subscribe(self, email: str = READER, **fields: str) -> AlertSubscription:
        self.ask(email, **fields)
        path = self.confirm_link(email).removeprefix("http://testserver")
        assert "Confirm" in self.client.get(path).content.decode()
        assert self.client.post(path).status_code == 200
        return AlertSubscription.objects.get(email=email, query=fields.get("q", ""))

    def publish_june_agenda(self, **kwargs: object) -> Meeting:
        meeting = self.world.draft
        acks = {c.key: "Recorded for the test." for c in agenda_checks(meeting) if c.blocks}
        with self.captureOnCommitCallbacks(execute=True), mock.patch(FREEZE):
            return publish_agenda(meeting, self.world.secretary_a, acks, base_url=BASE, **kwargs)

    def publish_october_minutes(self, **kwargs: object) -> Meeting:
        with self.captureOnCommitCallbacks(execute=True), mock.patch(FREEZE):
            return publish_minutes(
                self.world.approved, self.world.secretary_a, base_url=BASE, **kwargs
            )

    # Double opt-in ---------------------------------------------------------------------

    def test_asking_sends_only_a_signed_confirmation_link_and_no_alert_before_confirming(
        self,
    ) -> None:
        assert self.ask() == "/alerts/sent/"
        [message] = self.sink.messages(READER)
        link = self.confirm_link()
        token = link.rstrip("/").rsplit("/", 1)[1]
        subscription = AlertSubscription.objects.get(email=READER)
        assert alerts.confirmable(token) == subscription
        assert subscription.confirmed_at is None
        assert "List-Unsubscribe" not in message  # not a list yet
        assert "nothing more will be sent to you" in text_of(message)

        self.publish_june_agenda()
        assert len(self.sink.messages(READER)) == 1  # the confirmation alone
        # The link opened (as a mail scanner would) only shows the Confirm button.
        self.client.get(link.removeprefix("http://testserver"))
        subscription.refresh_from_db()
        assert subscription.confirmed_at is None

    def test_a_confirmed_reader_gets_the_agenda_alert_with_one_click_unsubscribe_headers(
        self,
    ) -> None:
        subscription = self.subscribe()
        assert subscription.confirmed_at is not None
        self.publish_june_agenda()
        alert = self.sink.messages(READER)[-1]
        assert (
            alert["Subject"].strip() == f"Agenda published: {self.world.body_a.name}, 12 June 2019"
        )
        body = text_of(alert)
        assert "https://gov.example/prg/meetings/2019-06-12/" in body
        assert "9. Violence hotspots" in body
        unsubscribe = re.fullmatch(
            r"<(https://gov\.example/alerts/unsubscribe/[^>]+/)>", alert["List-Unsubscribe"].strip()
        )
        assert unsubscribe is not None
        assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.group(1) in body

        # A mail client's one-click POST: no cookie, no CSRF token, no page.
        client = Client(enforce_csrf_checks=True)
        path = unsubscribe.group(1).removeprefix("https://gov.example")
        response = client.post(path, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        assert not AlertSubscription.objects.filter(email=READER).exists()
        # The address goes with every e-mail kept for it.
        assert not MailDelivery.objects.filter(to=READER).exists()
        # Asked again (a client retrying), the answer is the same.
        assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200

    def test_a_get_of_the_unsubscribe_link_asks_first_and_forged_links_do_not_work(self) -> None:
        subscription = self.subscribe()
        path = alerts.unsubscribe_url(subscription, "")
        page = self.client.get(path)
        assert page.status_code == 200 and "Unsubscribe</button>" in page.content.decode()
        assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
        # A confirmation token is not an unsubscribe token, and a key alone is not signed.
        for bad in (
            f"/alerts/unsubscribe/{alerts.confirm_token(subscription)}/",
            f"/alerts/unsubscribe/{subscription.key}/",
            f"/alerts/confirm/{alerts.unsubscribe_token(subscription)}/",
            "/alerts/confirm/nonsense/",
        ):
            response = self.client.post(bad, {"List-Unsubscribe": "One-Click"})
            assert response.status_code == 404, bad
            assert "This link does not work" in response.content.decode()
        assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
        # The page's own button unsubscribes and says so.
        done = self.client.post(path).content.decode()
        assert "You are unsubscribed" in done
        assert "Stop e-mail alerts" in self.client.get(path).content.decode()
        assert "already stopped" in self.client.get(path).content.decode()

    def test_a_confirmation_link_stops_working_after_seven_days_and_the_request_is_forgotten(
        self,
    ) -> None:
        self.ask()
        path = self.confirm_link().removeprefix("http://testserver")
        later = time.time() + 8 * 24 * 3600
        with mock.patch("django.core.signing.time.time", return_value=later):
            assert self.client.post(path).status_code == 404
        assert AlertSubscription.objects.get(email=READER).confirmed_at is None
        assert alerts.forget_unconfirmed(timezone.now() + dt.timedelta(days=6)) == 0
        out = io.StringIO()
        with mock.patch(
            "meetings.alerts.timezone.now", return_value=timezone.now() + dt.timedelta(days=8)
        ):
            call_command("send_pending_mail", stdout=out)
        assert "Deleted 1 alert request(s) never confirmed." in out.getvalue()
        assert not AlertSubscription.objects.exists()
        assert not MailDelivery.objects.filter(to=READER).exists()

    # The same answer, and the throttle ------------------------------------------------

    def test_the_answer_is_the_same_whether_or_not_the_address_already_has_the_alert(
        self,
    ) -> None:
        self.subscribe()
        with self.captureOnCommitCallbacks(execute=True):
            new = self.client.post("/alerts/", {"email": "new@example.net", "body": "prg"})
            again = self.client.post("/alerts/", {"email": READER.upper(), "body": "prg"})
        assert (new.status_code, new["Location"]) == (again.status_code, again["Location"])
        sent = self.client.get(new["Location"]).content.decode()
        assert "If the address you gave can get these alerts" in sent
        # The subscriber hears that nothing changed, with the way to stop.
        note = self.sink.messages(READER)[-1]
        assert note["Subject"] == "You already get these e-mail alerts"
        assert "/alerts/unsubscribe/" in text_of(note)
        assert AlertSubscription.objects.filter(email=READER).count() == 1

    def test_requests_past_the_hourly_allowance_send_nothing_and_answer_the_same(self) -> None:
        answers = {self.ask() for _ in range(6)}
        assert answers == {"/alerts/sent/"}
        assert len(self.sink.messages(READER)) == 5
        # Per client address too: other addresses from the same client.
        cache.clear()
        for n in range(6):
            self.ask(f"reader{n}@example.net")
        assert sum(1 for _ in self.sink.received) == 5 + 5
        assert not AlertSubscription.objects.filter(email="reader5@example.net").exists()

    def test_bad_input_is_shown_again_with_its_error_and_nothing_is_kept(self) -> None:
        for data, error in (
            ({"email": "not-an-address", "body": "prg"}, "Enter a valid email address."),
            ({"email": READER, "body": "no-such-board"}, "Select a valid choice."),
            ({"email": READER, "body": "prg", "q": "-violence"}, "Add a word to look for"),
        ):
            response = self.client.post("/alerts/", data)
            assert response.status_code == 200
            assert error in response.content.decode(), data
            assert data["email"] in response.content.decode() or "@" not in data["email"]
        assert not AlertSubscription.objects.exists()
        assert self.sink.received == []

    # What is published, and to whom ----------------------------------------------------

    def test_minutes_publication_alerts_subscribers_and_history_alerts_no_one(self) -> None:
        self.subscribe()
        self.publish_october_minutes()
        alert = self.sink.messages(READER)[-1]
        assert (
            alert["Subject"].strip()
            == f"Minutes published: {self.world.body_a.name}, 16 October 2019"
        )
        assert "https://gov.example/prg/meetings/2019-10-16/minutes/" in text_of(alert)
        count = len(self.sink.received)
        # The June agenda recorded as history: published in the past, no one e-mailed.
        self.publish_june_agenda(published_on=dt.date(2019, 6, 5))
        assert len(self.sink.received) == count
        assert not MailDelivery.objects.filter(meeting=self.world.draft).exists()

    def test_a_saved_search_alerts_new_public_matches_and_never_an_exempt_paper(self) -> None:
        self.subscribe(q="hotspots")
        self.subscribe("second@example.net", q="informant payments")
        self.subscribe("third@example.net", q="agreed")
        self.publish_june_agenda()
        [alert] = [m for m in self.sink.messages(READER) if "matching" in m["Subject"]]
        assert (
            alert["Subject"].strip() == f"New records matching “hotspots”: {self.world.body_a.name}"
        )
        body = text_of(alert)
        assert "Paper: Hotspots in Croydon" in body
        assert "Agenda item: Item 9: Violence hotspots" in body
        assert "https://gov.example/prg/meetings/2019-06-12/#item-9" in body
        assert "informant" not in body.lower() and "Payments" not in body
        assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # The exempt paper alone matches "informant payments": no alert.
        assert [m["Subject"] for m in self.sink.messages("second@example.net")] == [
            "Confirm your e-mail alerts"
        ]
        # "agreed" matches the October minutes when they are published, not before.
        assert len(self.sink.messages("third@example.net")) == 1
        self.publish_october_minutes()
        minutes_alert = self.sink.messages("third@example.net")[-1]
        assert "Minutes, item 1: Forward plan" in text_of(minutes_alert)
        assert "https://gov.example/prg/meetings/2019-10-16/minutes/#item-1" in text_of(
            minutes_alert
        )

    def test_another_boards_publication_alerts_no_one_of_this_board(self) -> None:
        self.subscribe()
        self.subscribe("b-reader@example.net", body="other")
        self.publish_june_agenda()
        assert [m["Subject"] for m in self.sink.messages("b-reader@example.net")] == [
            "Confirm your e-mail alerts"
        ]

    def test_the_queries_of_a_publications_alerts_do_not_grow_with_its_readers(self) -> None:
        def queries_for(readers: int) -> int:
            AlertSubscription.objects.all().delete()
            now = timezone.now()
            for n in range(readers):
                for query in ("", "knife"):
                    AlertSubscription.objects.create(
                        email=f"r{n}@example.net",
                        body=self.world.body_a,
                        kind="search" if query else "body",
                        query=query,
                        requested_at=now,
                        confirmed_at=now,
                    )
            meeting = Meeting.objects.get(pk=self.world.upcoming.pk)
            with CaptureQueriesContext(connection) as queries:
                kept = alerts.publication_alerts(meeting, "agenda", BASE)
            assert kept == 2 * readers
            return len(queries)

        assert queries_for(2) == queries_for(12)

    # Personal data ----------------------------------------------------------------------

    def test_addresses_stay_out_of_the_export_the_api_and_the_page_cache(self) -> None:
        self.subscribe()
        out = io.StringIO()
        call_command("export_records", stdout=out)
        assert READER not in out.getvalue()
        json.loads(out.getvalue())  # the export itself still works
        for url in ("/api/bodies/prg/", "/api/bodies/prg/meetings/", "/prg/", "/sitemap.xml"):
            assert READER not in self.client.get(url).content.decode(), url
        # A reader asking for an alert does not empty the public page cache.
        before = page_cache.generation()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/alerts/", {"email": "another@example.net", "body": "prg"})
        assert page_cache.generation() == before

    def test_the_privacy_notice_says_what_is_kept_and_the_pages_link_to_the_alerts(self) -> None:
        privacy = self.client.get("/privacy/").content.decode()
        for said in (
            "your e-mail address",
            "an address not confirmed within 7 days is deleted",
            "we delete the address, what the alert was about and every e-mail",
            "not on any page, in the open data (JSON), the feeds or the data exports",
        ):
            assert said in privacy, said
        assert 'href="/alerts/?body=prg"' in self.client.get("/prg/").content.decode()
        search = self.client.get("/search/?q=violence&body=prg").content.decode()
        assert 'href="/alerts/?q=violence&amp;body=prg"' in search
        form = self.client.get("/alerts/?body=prg&q=violence").content.decode()
        assert 'value="violence"' in form and 'href="/privacy/#alerts"' in form
        assert 'href="/privacy/"' in self.client.get("/accessibility/").content.decode()

    # The admin ---------------------------------------------------------------------------

    def test_a_secretary_sees_and_removes_their_boards_alerts_in_the_admin_but_adds_none(
        self,
    ) -> None:
        ours = self.subscribe()
        theirs = self.subscribe("b-reader@example.net", body="other")
        secretary = self.world.secretary_a
        secretary.is_staff = True
        secretary.save()
        client = Client()
        client.force_login(secretary)
        listing = client.get("/admin/meetings/alertsubscription/").content.decode()
        assert READER in listing and "b-reader@example.net" not in listing
        assert client.get("/admin/meetings/alertsubscription/add/").status_code == 403
        change = f"/admin/meetings/alertsubscription/{ours.pk}/change/"
        before = AlertSubscription.objects.get(pk=ours.pk).email
        client.post(change, {"email": "someone-else@example.net"})
        assert AlertSubscription.objects.get(pk=ours.pk).email == before
        other = f"/admin/meetings/alertsubscription/{theirs.pk}/delete/"
        client.post(other, {"post": "yes"})
        assert AlertSubscription.objects.filter(pk=theirs.pk).exists()
        # A reader's request to be removed: deleted with the e-mails kept for them.
        delete = f"/admin/meetings/alertsubscription/{ours.pk}/delete/"
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert not AlertSubscription.objects.filter(pk=ours.pk).exists()
        assert not MailDelivery.objects.filter(to=READER).exists()
