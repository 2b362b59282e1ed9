"""The public meeting page says when its agenda and minutes were made public: the dates on
record (typed for a meeting recorded as history), not the day the page is read."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from meetings.models import Meeting
from tests.public_world import WorldMixin


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class RecordDatesTests(WorldMixin, TestCase):
    def test_a_meeting_recorded_as_history_shows_its_historical_dates(self) -> None:
        Meeting.objects.filter(pk=self.world.minutes_published.pk).update(
            agenda_published_at=noon(dt.date(2019, 2, 27)),
            minutes_approved_at=noon(dt.date(2019, 4, 17)),
            minutes_published_at=noon(dt.date(2019, 4, 24)),
        )
        text = self.page("/prg/meetings/2019-03-06/")
        assert (
            "Agenda published on 27 February 2019. Minutes approved on 17 April 2019 and "
            "published on 24 April 2019." in text
        )

    def test_before_the_minutes_are_published_only_the_agendas_date_is_shown(self) -> None:
        meeting = self.world.upcoming
        Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=noon(dt.date(2019, 5, 1)))
        text = self.page(f"/prg/meetings/{meeting.key}/")
        assert "Agenda published on 1 May 2019." in text
        assert "Minutes approved on" not in text

    def test_a_draft_agenda_shows_no_publication_date(self) -> None:
        text = self.page("/prg/meetings/2019-06-12/", as_user=self.world.secretary_a)
        assert 'id="record-dates"' not in text
