"""Publishing an agenda: the pre-publication checklist, acknowledged failures, the timestamp
and the email to partners."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import TestCase

from meetings.models import ChecklistAcknowledgement, Meeting
from meetings.services.publication import agenda_checks, clear_days, publish_agenda
from members.models import Person
from tests.jobs import run_jobs
from tests.world import DemoWorld

JUNE = "/manage/prg/meetings/2019-06-12/publish/"


class ChecklistTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.june = Meeting.objects.get(body=cls.body, key="2019-06-12")
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")

    def test_clear_days_count_neither_the_publication_day_nor_the_meeting_day(self) -> None:
        assert clear_days(dt.date(2019, 4, 24), dt.date(2019, 5, 1)) == 6
        assert clear_days(dt.date(2019, 4, 30), dt.date(2019, 5, 1)) == 0

    def test_each_check_is_passed_or_failed_with_what_it_found(self) -> None:
        checks = {c.key: c for c in agenda_checks(self.may, today=dt.date(2019, 4, 24))}
        assert checks["notice"].passed and "6 clear days" in checks["notice"].detail
        assert not checks["composition"].passed
        assert "3 of 23 community members, 13%; 6 more needed for 30%" in (
            checks["composition"].detail
        )
        assert not checks["equality"].passed
        assert "item 7, 'Closing the gaps" in checks["equality"].detail
        assert checks["exemptions"].passed
        assert not checks["interval"].passed and "56 days" in checks["interval"].detail

    def test_notice_fails_when_too_few_clear_days_remain(self) -> None:
        checks = {c.key: c for c in agenda_checks(self.june, today=dt.date(2019, 6, 8))}
        assert not checks["notice"].passed
        assert "3 clear days" in checks["notice"].detail and "ask for 5" in (
            checks["notice"].detail
        )

    def test_the_checklist_page_shows_passed_and_failed_checks(self) -> None:
        page = self.client_for(self.secretary).get(JUNE).content.decode()
        assert 'data-check="composition" data-passed="no"' in page
        assert 'data-check="exemptions" data-passed="yes"' in page
        assert "Reason for publishing despite: Community composition" in page


class PublishTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_unacknowledged_failures_stop_publication_and_are_named(self) -> None:
        page = self.client.post(JUNE, {"composition": "The Mayor is recruiting."}).content.decode()
        assert "There is a problem" in page
        assert "Notice period failed" in page  # the meeting date is long past
        assert Meeting.objects.get(key="2019-06-12").status == "draft"
        assert not ChecklistAcknowledgement.objects.exists()

    def test_publishing_records_reasons_timestamp_and_emails_partners(self) -> None:
        Person.objects.filter(key__in=["jake-ferguson", "ben-lindsay"]).update(
            email=Concat(F("key"), Value("@example.org"))
        )
        with (
            mock.patch("meetings.services.publication.freeze_published_documents") as freeze,
            run_jobs(),
        ):
            response = self.client.post(
                JUNE,
                {
                    "notice": "Re-created from the paper records.",
                    "composition": "The Mayor is recruiting community members.",
                    "interval": "Agreed at the last meeting.",
                },
            )
        assert response.status_code == 302
        meeting = Meeting.objects.get(key="2019-06-12")
        assert meeting.status == "agenda_published" and meeting.agenda_published_at
        reasons = dict(meeting.acknowledgements.values_list("check_key", "reason"))
        assert reasons["composition"] == "The Mayor is recruiting community members."
        assert set(reasons) == {"notice", "composition"} | (
            {"interval"} if meeting.interval_flag() else set()
        )
        freeze.assert_called_once()
        assert sorted(m.to[0] for m in mail.outbox) == [
            "ben-lindsay@example.org",
            "jake-ferguson@example.org",
        ]
        assert mail.outbox[0].subject.startswith("Agenda published:")
        page = self.client.get(JUNE).content.decode()
        assert "Published on" in page and "The Mayor is recruiting" in page

    def test_a_published_agenda_cannot_be_published_again(self) -> None:
        page = self.client.post("/manage/prg/meetings/2019-05-01/publish/", {}).content.decode()
        assert "Published on" in page
        assert Meeting.objects.get(key="2019-05-01").acknowledgements.count() == 0

    def test_publication_state_changes_are_in_the_meeting_history(self) -> None:
        with mock.patch("meetings.services.publication.freeze_published_documents"), run_jobs():
            self.client.post(
                JUNE, {"notice": "x", "composition": "y", "interval": "z", "equality": "w"}
            )
        page = self.client.get("/manage/prg/meetings/2019-06-12/history/").content.decode()
        assert "Agenda published" in page and "Amy Gelsthorpe-Hill" in page

    def test_publication_fails_rather_than_going_out_without_its_documents(self) -> None:
        # Freezing the documents is part of publishing: if it fails, nothing is published.
        june = Meeting.objects.get(key="2019-06-12")
        reasons = {"notice": "x", "composition": "y", "interval": "z", "equality": "w"}
        with mock.patch(
            "reports.services.freeze_documents", side_effect=RuntimeError("renderer down")
        ):
            with pytest.raises(RuntimeError, match="renderer down"):
                publish_agenda(june, self.secretary, reasons)
        june.refresh_from_db()
        assert june.status == "draft" and june.agenda_published_at is None
