"""Query counts of every public list and detail page, the feeds, the API and the dashboard:
pinned, and the same with thirty more meetings (with items, papers, minutes, attendance and
actions) in the database."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.lock_scope import recording_history
from meetings.models import Attendance, Meeting, MinuteParagraph
from members.models import Interest
from tests.public_world import WorldMixin, add_action, add_item, add_meeting, add_paper

# (url, who is asking, queries). Who: None for the public, else a World attribute.
# A signed-in request costs two more queries than the public's: the user, and whether the user
# has an authenticator (meetings/access.py: a session counts only past it). The session itself
# is read from the cache (SESSION_ENGINE cached_db).
PINNED: list[tuple[str, str | None, int]] = [
    ("/", None, 1),
    ("/prg/", None, 7),  # with the sizes and pages of the papers' frozen copies
    ("/prg/meetings/?year=2019", None, 4),
    # With every document's frozen versions and the papers' frozen copies (their labels); with
    # the minutes per item and who attended where the reader may see them (the minutes'
    # records and quorum, build_minutes); the previous meeting for "Minutes of last meeting".
    ("/prg/meetings/2019-03-06/", None, 22),
    ("/prg/meetings/2019-05-01/", "partner_a", 11),  # the meeting before comes with the meeting
    ("/prg/members/", None, 4),
    ("/prg/members/jake-ferguson/", None, 7),
    ("/prg/members/jake-ferguson/", "partner_a", 12),
    ("/prg/terms/", None, 3),
    # The registers: years, then the year's meetings with their attendance, appointments and
    # terms with seats; serving members, their interests and declarations; meetings, agenda
    # business and plan entries; a page of actions with their owners, and the count.
    ("/prg/attendance/?year=2019", None, 7),
    ("/prg/attendance/?year=2019", "partner_a", 12),
    ("/prg/interests/", None, 4),
    ("/prg/forward-plan/", None, 4),
    ("/prg/actions/?status=all", None, 4),
    ("/prg/actions/?status=all", "partner_a", 9),
    ("/prg/contact/", None, 1),
    ("/prg/meetings/2019-05-01/meeting.ics", None, 1),
    ("/prg/terms/2018-10-draft/", None, 3),
    # Search: the boards with their years, then the matches and the page's meetings and snippets
    # (PostgreSQL) or the three kinds of record (SQLite).
    ("/search/?q=violence", None, 4),
    ("/search/?q=violence&body=prg&year=2019", None, 4),
    ("/prg/meetings.ics", None, 2),
    ("/prg/feed.atom", None, 4),  # with the papers' frozen copies (their labels)
    ("/api/bodies/", None, 1),
    ("/api/bodies/prg/", None, 5),
    ("/api/bodies/prg/meetings/?year=2019", None, 3),
    ("/api/bodies/prg/meetings/2019-03-06/", None, 25),
    # The partner's bodies come with whether they are its partner and secretary; upcoming,
    # recent and circulated meetings in one query. The proposal form's meetings are the ones
    # already read; the actions' owners are not shown, so not read. One more for the
    # declaration rounds of the partner's bodies (their confirmations only when a round exists).
    ("/partners/", "partner_a", 11),
    ("/partners/interests/{interest}/", "partner_a", 6),
]


@recording_history()
def add_thirty_meetings(world: object) -> None:
    """Thirty meetings with published minutes, upcoming ones too, all touching partner A."""
    body, person = world.body_a, world.person_a
    today = timezone.localdate()
    for i in range(30):
        meeting = add_meeting(
            body, dt.date(2019, 11, 1) + dt.timedelta(days=i), "minutes_published"
        )
        item = add_item(meeting, "1", f"Extra violence business {i}")
        add_paper(item, f"extra-{i}", f"Extra violence paper {i}", "Violence in numbers.")
        add_paper(item, f"extra-exempt-{i}", f"Extra exempt {i}", "Withheld.", exempt=True)
        MinuteParagraph.objects.create(item=item, text=f"Partners discussed violence {i}.")
        Attendance.objects.create(meeting=meeting, person=person, capacity="member")
        add_action(meeting, item, f"extra-{i}", f"Extra action {i}", person, today)
        later = add_meeting(
            body, today + dt.timedelta(days=30 + i), Meeting.Status.AGENDA_PUBLISHED
        )
        later_item = add_item(later, "1", f"Later business {i}")
        add_paper(later_item, f"later-{i}", f"Later paper {i}", "Text.")


class QueryCountTests(WorldMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.interest = Interest.objects.create(person=cls.world.person_a, description="Trustee")

    def count(self, url: str, who: str | None) -> int:
        self.client.logout()
        if who:
            self.client.force_login(getattr(self.world, who))
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url.format(interest=self.interest.pk))
        assert response.status_code == 200, url
        return len(ctx.captured_queries)

    def test_every_page_runs_its_pinned_number_of_queries(self) -> None:
        counts = {(url, who): self.count(url, who) for url, who, _ in PINNED}
        expected = {(url, who): n for url, who, n in PINNED}
        assert counts == expected

    def test_query_counts_do_not_grow_with_the_number_of_meetings(self) -> None:
        before = {(url, who): self.count(url, who) for url, who, _ in PINNED}
        add_thirty_meetings(self.world)
        after = {(url, who): self.count(url, who) for url, who, _ in PINNED}
        assert after == before

    def test_the_grown_world_still_shows_the_new_records(self) -> None:
        add_thirty_meetings(self.world)
        self.client.force_login(self.world.partner_a)
        text = self.client.get("/partners/").content.decode()
        assert "Extra action 29" in text
        listing = self.client.get("/prg/meetings/?year=2019&page=2").content.decode()
        assert "Page 2 of 2" in listing
