"""Partner e-mails are jobs run after the publication commits, against a real SMTP server on
127.0.0.1 (tests/smtp.py): with the server down the agenda is still published, the secretary
sees the failure and it is retried with back-off; with it up the partners get their e-mail."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.utils import timezone

from meetings import outbox
from meetings.models import MailDelivery, Meeting
from members.models import Person
from tests.jobs import run_jobs
from tests.smtp import Sink, free_port
from tests.world import DemoWorld

JUNE = "/manage/prg/meetings/2019-06-12/publish/"
FREEZE = "meetings.services.publication.freeze_published_documents"
ACKS = {
    "notice": "Re-created from the paper records.",
    "composition": "The Mayor is recruiting community members.",
    "interval": "Agreed at the last meeting.",
}
PARTNERS = ["ben-lindsay@example.org", "jake-ferguson@example.org"]


PORT = free_port()


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=PORT,
    EMAIL_TIMEOUT=5,
)
class PartnerMailTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        Person.objects.filter(key__in=["jake-ferguson", "ben-lindsay"]).update(
            email=Concat(F("key"), Value("@example.org"))
        )

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)
        self.sink = Sink()
        self.server: Controller | None = None

    def tearDown(self) -> None:
        if self.server is not None:
            self.server.stop()

    def start_server(self) -> None:
        self.server = Controller(self.sink, hostname="127.0.0.1", port=PORT)
        self.server.start()

    def publish(self) -> HttpResponse:
        # The documents are not what these tests check: not rendering them saves seconds.
        # The publication job runs when the request is done, the freeze still mocked.
        with mock.patch(FREEZE), run_jobs():
            return self.client.post(JUNE, ACKS, follow=True)

    def test_with_the_mail_server_up_each_partner_gets_the_agenda_notice(self) -> None:
        self.start_server()
        assert self.publish().status_code == 200
        assert sorted(to for tos, _ in self.sink.received for to in tos) == PARTNERS
        assert all("Subject: Agenda published: " in text for _, text in self.sink.received)
        assert "Agenda published: sent to 2 partners." in self.client.get(JUNE).content.decode()
        assert set(MailDelivery.objects.values_list("status", "attempts")) == {("sent", 1)}

    def test_with_the_mail_server_down_the_agenda_stands_and_the_failure_is_shown_and_retried(
        self,
    ) -> None:
        before = timezone.now()
        response = self.publish()
        assert response.status_code == 200  # no 500: the publication answered as usual
        assert Meeting.objects.get(key="2019-06-12").status == "agenda_published"
        rows = list(MailDelivery.objects.order_by("to"))
        assert [r.to for r in rows] == PARTNERS
        assert all(r.status == "pending" and r.attempts == 1 for r in rows)
        assert all("Connection refused" in r.last_error for r in rows)
        # The first retry waits a minute; the Publish page says so, with the error.
        assert all(
            dt.timedelta(seconds=59) <= r.next_attempt_at - before <= dt.timedelta(seconds=70)
            for r in rows
        )
        publish_page = self.client.get(JUNE).content.decode()
        assert "Agenda published: e-mail to 2 partners failed, retrying at" in publish_page
        assert "Last error: ConnectionRefusedError" in publish_page
        assert "Try the unsent e-mails again now" in publish_page

        # Not due yet: the sweep leaves them; a minute later it sends them once the server is up.
        assert outbox.send() == 0
        self.start_server()
        assert outbox.send(now=timezone.now() + dt.timedelta(minutes=2)) == 2
        assert sorted(to for tos, _ in self.sink.received for to in tos) == PARTNERS
        page = self.client.get(JUNE).content.decode()
        assert "Agenda published: sent to 2 partners." in page
        assert "Try the unsent e-mails again now" not in page

    def test_the_secretary_can_try_again_at_once_and_the_cron_sweep_reports_failures(
        self,
    ) -> None:
        self.publish()
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(SystemExit) as stopped:
            call_command("send_pending_mail", stdout=out, stderr=err)
        assert stopped.value.code == 1
        assert "2 e-mail(s) failed and will be retried." in err.getvalue()
        self.start_server()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{JUNE}mail/try-again/")
        assert "Agenda published: sent to 2 partners." in self.client.get(JUNE).content.decode()
        assert len(self.sink.received) == 2
        call_command("send_pending_mail", stdout=out, stderr=err)  # nothing failing: no exit 1

    def test_failures_back_off_and_give_up_after_the_last_attempt(self) -> None:
        self.publish()
        now = timezone.now()
        waits = []
        for _ in range(outbox.MAX_ATTEMPTS - 1):
            row = MailDelivery.objects.order_by("pk").first()
            waits.append(round((row.next_attempt_at - now).total_seconds()))
            now = row.next_attempt_at
            outbox.send(now=now)
        assert waits == [60, 300, 900, 3600, 3 * 3600]
        assert set(MailDelivery.objects.values_list("status", "attempts")) == {
            ("gave_up", outbox.MAX_ATTEMPTS)
        }
        page = self.client.get(JUNE).content.decode()
        assert "e-mail to 2 partners failed 6 times and is no longer retried" in page
