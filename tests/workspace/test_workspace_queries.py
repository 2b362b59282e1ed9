"""Query counts of the busiest workspace pages are pinned and do not grow with meetings."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ActionOwner
from meetings.models import AgendaItem, Meeting
from tests.world import DemoWorld

# Each count includes one query for the second factor (does the user have an authenticator,
# or, in a verified session, the device that verified it: vru_governance/accounts/second_factor.py).
# The body and whether the user is its secretary come from one query (one fewer on each page).
# The session is read from the cache, not the database (SESSION_ENGINE cached_db: one fewer).
PAGES = {
    # A published agenda offers no form to add an item: no list of items to place it after
    # (one fewer).
    "agenda": ("/manage/prg/meetings/2019-03-06/agenda/", 11),
    # One query fewer for each substitute since their names come with the attendance; the
    # quorum panel reuses the page's items, appointments and attendance instead of reading
    # them again (four fewer). The approved minutes' attendance is shown read-only as text:
    # no list of people for new rows, no selects (two fewer).
    "attendance": ("/manage/prg/meetings/2019-03-06/attendance/", 11),
    # Quorum from the records the minutes were read with (four fewer); the approval form's
    # choices only while the minutes are out for comment (one fewer).
    "minutes": ("/manage/prg/meetings/2019-03-06/minutes/", 16),
    # Approved minutes: the item's page is text with correction links, no forms (two fewer).
    "item minutes": ("/manage/prg/meetings/2019-03-06/minutes/items/4/", 19),
    "action log": ("/manage/prg/actions/", 7),
}


class QueryCountTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def count(self, url: str) -> int:
        client = self.client_for(self.secretary)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add_meetings(self, n: int) -> None:
        for i in range(n):
            day = dt.date(2019, 9, 1) + dt.timedelta(days=7 * i)
            meeting = Meeting.objects.create(
                body=self.body, key=f"extra-{i}", date=day, start_time=dt.time(14)
            )
            item = AgendaItem.objects.create(meeting=meeting, number="1", title="Item")
            action = Action.objects.create(
                meeting=meeting, item=item, key=f"a-{i}", description="Do it"
            )
            ActionOwner.objects.create(action=action, role="Clerk")

    def test_query_counts_are_pinned_and_do_not_grow_with_the_number_of_meetings(self) -> None:
        before = {name: self.count(url) for name, (url, _) in PAGES.items()}
        self.add_meetings(6)
        after = {name: self.count(url) for name, (url, _) in PAGES.items()}
        assert before == after
        assert after == {name: pinned for name, (_, pinned) in PAGES.items()}
