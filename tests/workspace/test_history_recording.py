"""Recording a past meeting as history: the dates of its publication, circulation, approval and
publication are typed, not taken from the clock; no one is e-mailed; the notice check does not
apply; the feed, the body's page and the records format carry the historical dates."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from meetings.models import Meeting
from meetings.services.minutes import ParagraphInput, save_item_minutes
from meetings.services.minutes_lifecycle import (
    approve_minutes,
    circulate_minutes,
    publish_minutes,
)
from meetings.services.publication import agenda_checks, publish_agenda
from members.models import Person
from tests.jobs import run_jobs
from tests.world import DemoWorld
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records

D = dt.date
JUNE = "/manage/prg/meetings/2019-06-12/"
REASONS = {"composition": "y", "interval": "z", "equality": "w", "final": "v"}
FREEZE = "meetings.services.publication.freeze_published_documents"


def day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


class HistoryWorld(DemoWorld):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        Person.objects.filter(key="jake-ferguson").update(email="jake@example.org")
        cls.june = Meeting.objects.get(body=cls.body, key="2019-06-12")
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")

    def june_published_as_history(self) -> Meeting:
        with self.captureOnCommitCallbacks(execute=True), mock.patch(FREEZE):
            return publish_agenda(self.june, self.secretary, REASONS, published_on=D(2019, 6, 5))

    def june_minuted(self) -> Meeting:
        meeting = self.june_published_as_history()
        item = meeting.items.get(number="1")
        save_item_minutes(
            item,
            version=None,
            paragraphs=[save_paragraph("The Chair welcomed everyone.")],
            outcome="",
        )
        return Meeting.objects.get(pk=meeting.pk)


def save_paragraph(text: str) -> ParagraphInput:
    return ParagraphInput(pk=None, text=text)


class RecordingHistoryTests(HistoryWorld, TestCase):
    # One class: the demo world is built once for all of them.

    def test_an_agenda_published_as_history_keeps_the_typed_date_and_emails_no_one(self) -> None:
        meeting = self.june_published_as_history()
        assert meeting.status == "agenda_published" and meeting.recorded_as_history
        assert day(meeting.agenda_published_at) == D(2019, 6, 5)
        assert mail.outbox == []

    def test_the_notice_check_is_shown_but_not_asked_of_a_past_publication(self) -> None:
        checks = {c.key: c for c in agenda_checks(self.june, published_on=D(2019, 6, 10))}
        assert not checks["notice"].applies and not checks["notice"].blocks
        assert "published on 10 June 2019, 1 clear day" in checks["notice"].detail
        # No reason for the notice is asked: publishing goes through without one.
        self.june_published_as_history()

    def test_a_publication_date_in_the_future_or_after_the_meeting_is_refused(self) -> None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(ValidationError, match="is in the future"):
            publish_agenda(self.june, self.secretary, REASONS, published_on=tomorrow)
        with pytest.raises(ValidationError, match=r"is after the meeting \(12 June 2019\)"):
            publish_agenda(self.june, self.secretary, REASONS, published_on=D(2019, 6, 13))
        assert Meeting.objects.get(pk=self.june.pk).status == "draft"

    def test_the_publish_page_records_the_history_date_without_a_notice_reason(self) -> None:
        client = self.client_for(self.secretary)
        page = client.get(f"{JUNE}publish/").content.decode()
        assert "Record as history: the agenda was published on" in page
        with mock.patch(FREEZE), run_jobs():
            response = client.post(f"{JUNE}publish/", {**REASONS, "published_on": "2019-06-05"})
        assert response.status_code == 302
        # The job has published it: the page says how.
        text = client.get(f"{JUNE}publish/").content.decode()
        assert "Agenda recorded as published on 5 June 2019; no one was e-mailed." in text
        assert mail.outbox == []
        assert day(Meeting.objects.get(pk=self.june.pk).agenda_published_at) == D(2019, 6, 5)

    def test_each_minutes_step_of_a_history_meeting_takes_its_typed_date(self) -> None:
        june = self.june_minuted()
        with pytest.raises(ValidationError, match="enter the date the minutes were circulated"):
            circulate_minutes(june, self.secretary)
        later = Meeting.objects.create(
            body=self.body, key="2019-07-24", date=D(2019, 7, 24), start_time=dt.time(10)
        )
        with self.captureOnCommitCallbacks(execute=True), mock.patch(FREEZE):
            circulate_minutes(june, self.secretary, circulated_on=D(2019, 6, 20))
            approve_minutes(june, self.secretary, at_meeting=later)
            with pytest.raises(ValidationError, match="enter the date the minutes were published"):
                publish_minutes(june, self.secretary)
            publish_minutes(june, self.secretary, published_on=D(2019, 7, 30))
        june.refresh_from_db()
        assert (
            day(june.minutes_circulated_at),
            day(june.minutes_approved_at),
            day(june.minutes_published_at),
        ) == (D(2019, 6, 20), D(2019, 7, 24), D(2019, 7, 30))
        # Approved at a meeting whose agenda has no "Minutes of last meeting" item.
        assert june.minutes_approved_at_meeting == later and june.minutes_approved_at_item is None
        assert mail.outbox == []

    def test_steps_out_of_order_are_refused_with_both_dates(self) -> None:
        june = self.june_minuted()
        with pytest.raises(ValidationError, match=r"before the meeting \(12 June 2019\)"):
            circulate_minutes(june, self.secretary, circulated_on=D(2019, 6, 1))
        circulate_minutes(june, self.secretary, circulated_on=D(2019, 6, 20))
        with pytest.raises(ValidationError, match="before their circulation"):
            approve_minutes(june, self.secretary, by_chair=True, approved_on=D(2019, 6, 19))

    def test_approval_offers_every_later_meeting_of_the_body(self) -> None:
        Meeting.objects.create(
            body=self.body, key="2019-07-24", date=D(2019, 7, 24), start_time=dt.time(10)
        )
        client = self.client_for(self.secretary)
        item = self.may.items.get(number="5")
        save_item_minutes(
            item, version=None, paragraphs=[save_paragraph("Noted.")], outcome="noted"
        )
        client.post("/manage/prg/meetings/2019-05-01/minutes/circulate/", {})
        page = client.get("/manage/prg/meetings/2019-05-01/minutes/").content.decode()
        assert "12 June 2019, item 3" in page  # the June agenda has a minutes item
        assert "24 July 2019</option>" in page  # July has none yet, and is offered too
        assert "22 January 2019" not in page.split("Approved at the meeting of")[1]

    def test_the_feed_and_the_body_page_show_the_historical_dates(self) -> None:
        june = self.june_minuted()
        with mock.patch(FREEZE):
            circulate_minutes(june, self.secretary, circulated_on=D(2019, 6, 20))
            approve_minutes(june, self.secretary, by_chair=True, approved_on=D(2019, 6, 28))
            publish_minutes(june, self.secretary, published_on=D(2019, 7, 2))
        feed = self.client.get("/prg/feed.atom").content.decode()
        assert "<updated>2019-07-02T" in feed and "<updated>2019-06-05T" in feed
        assert f"<updated>{timezone.localdate():%Y-%m-%d}" not in feed.split("<entry>", 1)[1]

    def test_the_records_format_carries_the_lifecycle_dates_both_ways(self) -> None:
        document = export_records("prg")
        march = next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-03-06")
        march.update(
            agenda_published_on="2019-02-27",
            minutes_circulated_on="2019-03-20",
            minutes_approved_on="2019-05-01",
            minutes_approved_at="2019-05-01",
            minutes_published_on="2019-05-08",
        )
        import_records(document)
        meeting = Meeting.objects.get(key="2019-03-06")
        assert meeting.recorded_as_history
        assert day(meeting.agenda_published_at) == D(2019, 2, 27)
        assert meeting.minutes_approved_at_meeting.key == "2019-05-01"
        assert meeting.minutes_approved_at_item.kind == "minutes_of_last_meeting"
        again = next(
            m for m in export_records("prg")["bodies"][0]["meetings"] if m["key"] == "2019-03-06"
        )
        assert again["minutes_approved_at"] == "2019-05-01"
        assert again["minutes_published_on"] == "2019-05-08"

    def test_an_import_with_dates_out_of_order_is_refused_with_the_path(self) -> None:
        document = export_records("prg")
        march = next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-03-06")
        march.update(minutes_circulated_on="2019-03-01", minutes_approved_at="2019-01-22")
        with pytest.raises(RecordsError) as refused:
            import_records(document)
        messages = " ".join(f"{p}: {m}" for p, m in refused.value.errors)
        assert "is before the meeting (6 March 2019)" in messages
        assert "meetings[1]" in messages
