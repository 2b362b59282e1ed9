"""The partners' dashboard's queries: a fixed number, whatever the partner's bodies hold (more
meetings, papers, actions, proposals, interests), so a decade of records costs no more; and
the notes' addresses it makes without reverse() are reverse()'s."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from meetings.lock_scope import recording_history
from meetings.models import AgendaItem, ForwardPlanItem, Meeting
from members.models import Body, Interest
from reports.models import Paper
from tests.public_world import WorldMixin, add_action, add_item, add_meeting, add_paper
from vru_governance.partners.base import _note_url

# Session, user, authenticator, person; the partner's bodies (their secretaries prefetched)
# and the partner and secretary checks; the meetings; their papers; actions; proposals;
# interests; the declaration rounds and their confirmations.
DASHBOARD_QUERIES = 11


class DashboardQueryTests(WorldMixin, TestCase):
    def setUp(self) -> None:
        self.client.force_login(self.world.partner_a)

    def queries(self) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.page("/partners/")
        return len(captured)

    def test_the_dashboard_takes_a_pinned_number_of_queries(self) -> None:
        with self.assertNumQueries(DASHBOARD_QUERIES):
            self.page("/partners/")

    def test_more_meetings_papers_actions_and_proposals_add_no_query(self) -> None:
        before = self.queries()
        with recording_history():  # (records of past meetings, as the world's are made)
            self.add_records()
        text = self.page("/partners/")
        assert "Paper 2" in text and "Write" in text  # the new records are shown
        assert self.queries() == before

    def add_records(self) -> None:
        today = timezone.localdate()
        body, person = self.world.body_a, self.world.person_a
        for days in (-400, -300, -200, 20, 30, 40, 50, 60, 70):
            status = Meeting.Status.AGENDA_PUBLISHED if days > 0 else Meeting.Status.HELD
            meeting = add_meeting(body, today + dt.timedelta(days=days), status)
            item = add_item(meeting, "1", "Business")
            for n in range(3):
                add_paper(item, f"paper-{n}", f"Paper {n}", "Text.", exempt=n == 2)
            add_action(meeting, item, f"{meeting.key}-1", "Report back", person, today)
            ForwardPlanItem.objects.create(  # meant for the meeting, or placed on its agenda
                body=body,
                title=f"Proposal for {meeting.key}",
                proposed_by=person,
                target_meeting=meeting,
                placed_item=item if days < 0 else None,
            )
            Interest.objects.create(person=person, description=f"Interest {days}")
        circulated = add_meeting(
            body, today - dt.timedelta(days=500), Meeting.Status.MINUTES_CIRCULATED
        )
        add_action(circulated, add_item(circulated, "1", "Business"), "c-1", "Write", person, today)

    def test_circulated_minutes_are_of_meetings_whose_agenda_anyone_may_see(self) -> None:
        # The dashboard finds the circulated meetings with the upcoming and recent ones and
        # relies on it (vru_governance/partners/base.py _meetings).
        assert Meeting.Status.MINUTES_CIRCULATED in Meeting.AGENDA_PUBLIC_STATUSES


class NoteUrlTests(SimpleTestCase):
    def test_a_notes_address_is_the_one_reverse_makes_whatever_the_item_number(self) -> None:
        meeting = Meeting(body=Body(slug="prg"), key="2019-05-01")
        for number in ["4", "4a", "1.2", "é", "a b", "%20", "x?y#z", "a;b=c", "[1]"]:
            paper = Paper(item=AgendaItem(number=number, meeting=meeting), key="the-paper")
            args = ["prg", "2019-05-01", number, "the-paper"]
            assert _note_url(meeting, paper) == reverse("public:partner-note", args=args)

    def test_an_address_reverse_refuses_is_refused(self) -> None:
        meeting = Meeting(body=Body(slug="prg"), key="2019-05-01")
        for number, key in [("", "the-paper"), ("4/5", "the-paper"), ("4", "not a slug")]:
            paper = Paper(item=AgendaItem(number=number, meeting=meeting), key=key)
            with self.assertRaises(NoReverseMatch):
                _note_url(meeting, paper)
