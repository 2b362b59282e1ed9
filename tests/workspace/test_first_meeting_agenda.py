"""A body's first meeting has no earlier meeting whose minutes to approve or whose actions to
report: it starts without the standard agenda's "Minutes of last meeting" and "Actions
Arising" items; a later meeting starts with them. Added by hand to a first meeting, "Actions
Arising" generates no empty report in the pack (so the agenda prints no page reference)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from meetings.models import AgendaItem, Meeting
from meetings.services.agenda import add_item
from meetings.services.meeting import create_meeting_with_standard_agenda
from reports.documents.pack import Audience, pack_part_jobs
from tests.world import account, make_body
from vru_governance.accounts.users import ensure_groups

Kind = AgendaItem.Kind
FOLLOW_ON = {Kind.MINUTES_OF_LAST_MEETING, Kind.ACTIONS_ARISING}
D = dt.date


def kinds(meeting: Meeting) -> list[str]:
    return list(meeting.items.order_by("position").values_list("kind", flat=True))


def create(body, date: dt.date) -> Meeting:
    return create_meeting_with_standard_agenda(body, date=date, start_time=dt.time(14))


class FirstMeetingAgendaTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body("ssp", effective_from=D(2018, 1, 1))

    def test_a_bodys_first_meeting_starts_without_the_follow_on_items(self) -> None:
        first = create(self.body, D(2018, 5, 15))
        assert not FOLLOW_ON & set(kinds(first))
        numbers = list(first.items.order_by("position").values_list("number", flat=True))
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
        assert Kind.AOB in kinds(first)

    def test_a_later_meeting_starts_with_them(self) -> None:
        create(self.body, D(2018, 5, 15))
        later = create(self.body, D(2018, 7, 17))
        assert FOLLOW_ON <= set(kinds(later))
        titles = dict(later.items.values_list("kind", "title"))
        assert titles[Kind.MINUTES_OF_LAST_MEETING] == "Minutes of last meeting"

    def test_an_earlier_meeting_recorded_after_a_later_one_has_no_earlier_meeting(self) -> None:
        create(self.body, D(2018, 7, 17))
        earlier = create(self.body, D(2018, 5, 15))
        assert not FOLLOW_ON & set(kinds(earlier))

    def test_a_cancelled_meeting_is_no_earlier_meeting(self) -> None:
        cancelled = create(self.body, D(2018, 5, 15))
        Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
        again = create(self.body, D(2018, 6, 12))
        assert not FOLLOW_ON & set(kinds(again))

    def test_the_workspace_creates_the_first_meeting_the_same_way(self) -> None:
        secretariat, _ = ensure_groups()
        secretary = account("secretary")
        secretary.groups.add(secretariat)
        self.body.secretaries.add(secretary)
        self.client.force_login(secretary)
        response = self.client.post(
            "/manage/ssp/meetings/",
            {"date": "2018-05-15", "start_time": "14:00", "place": "City Hall"},
        )
        assert response.status_code == 302
        meeting = Meeting.objects.get(body=self.body)
        assert not FOLLOW_ON & set(kinds(meeting))

    def test_actions_arising_added_by_hand_generates_no_empty_report(self) -> None:
        first = create(self.body, D(2018, 5, 15))
        add_item(first, title="Actions Arising", kind=Kind.ACTIONS_ARISING)
        assert pack_part_jobs(first, Audience.PUBLIC, kinds={"actions_arising"}) == []
        later = create(self.body, D(2018, 7, 17))
        assert len(pack_part_jobs(later, Audience.PUBLIC, kinds={"actions_arising"})) == 1
