"""The iCalendar feed of meetings and the Atom feed of published documents."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from django.test import TestCase
from icalendar import Calendar

from tests.public_world import NEVER_PUBLIC, UPCOMING_PUBLIC, WorldMixin

ATOM = "{http://www.w3.org/2005/Atom}"
LONDON = ZoneInfo("Europe/London")


class FeedTests(WorldMixin, TestCase):
    # iCalendar ----------------------------------------------------------------------------

    def calendar(self, as_user: object = None) -> Calendar:
        if as_user is not None:
            self.client.force_login(as_user)
        response = self.client.get("/prg/meetings.ics")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(response.content)

    def test_each_meeting_with_a_published_agenda_is_an_event(self) -> None:
        events = {str(e["UID"]): e for e in self.calendar().walk("VEVENT")}
        assert "prg-2019-03-06@testserver" in events
        assert f"prg-{self.world.upcoming.key}@testserver" in events
        march = events["prg-2019-03-06@testserver"]
        assert march.decoded("DTSTART") == dt.datetime(2019, 3, 6, 14, 0, tzinfo=LONDON)
        assert march.decoded("DTEND") == dt.datetime(2019, 3, 6, 15, 55, tzinfo=LONDON)
        assert "Committee Room 1, City Hall" in str(march["LOCATION"])
        assert str(march["URL"]) == "http://testserver/prg/meetings/2019-03-06/"

    def test_the_calendar_carries_the_london_time_zone(self) -> None:
        zones = [str(tz["TZID"]) for tz in self.calendar().walk("VTIMEZONE")]
        assert zones == ["Europe/London"]

    def test_draft_and_cancelled_meetings_are_not_in_the_calendar_whoever_asks(self) -> None:
        uids = {str(e["UID"]) for e in self.calendar(self.world.secretary_a).walk("VEVENT")}
        assert "prg-2019-06-12@testserver" not in uids
        assert "prg-2019-05-01@testserver" in uids

    def test_a_meeting_without_a_closing_time_lasts_two_hours(self) -> None:
        events = {str(e["UID"]): e for e in self.calendar().walk("VEVENT")}
        may = events["prg-2019-05-01@testserver"]
        assert may.decoded("DTEND") - may.decoded("DTSTART") == dt.timedelta(hours=2)

    def test_the_calendar_of_an_unknown_body_is_not_found(self) -> None:
        assert self.client.get("/nope/meetings.ics").status_code == 404

    # Atom ---------------------------------------------------------------------------------
    def feed(self, as_user: object = None) -> tuple[ET.Element, str]:
        if as_user is not None:
            self.client.force_login(as_user)
        response = self.client.get("/prg/feed.atom")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        text = response.content.decode()
        return ET.fromstring(response.content), text

    def test_the_feed_lists_published_agendas_papers_and_minutes(self) -> None:
        root, _ = self.feed()
        titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
        links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
        assert "Agenda: Violence Reduction Unit Partnership Reference Group, 1 May 2019" in titles
        assert (
            "Minutes: Violence Reduction Unit Partnership Reference Group, 6 March 2019" in titles
        )
        assert f"Paper: {UPCOMING_PUBLIC} strategy" in titles
        assert "http://testserver/prg/meetings/2019-03-06/minutes/" in links
        assert "http://testserver/prg/meetings/2019-05-01/papers/closing-the-gaps.pdf" in links

    def test_newest_documents_come_first(self) -> None:
        root, _ = self.feed()
        updated = [e.findtext(f"{ATOM}updated") for e in root.iter(f"{ATOM}entry")]
        assert updated == sorted(updated, reverse=True)

    def test_the_feed_never_carries_unpublished_or_exempt_content_whoever_asks(self) -> None:
        for reader in (None, self.world.partner_a, self.world.secretary_a):
            _, text = self.feed(reader)
            assert not [s for s in NEVER_PUBLIC if s in text]
            assert "2019-06-12" not in text
            assert "mopac-briefing" not in text

    def test_minutes_not_yet_published_are_not_in_the_feed(self) -> None:
        root, _ = self.feed()
        titles = " ".join(e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry"))
        name = self.world.body_a.name
        for meeting in (self.world.held, self.world.circulated, self.world.approved):
            assert f"Minutes: {name}, {meeting.date:%-d %B %Y}" not in titles

    def test_the_feed_is_valid_atom_with_an_author_ids_and_dates(self) -> None:
        root, _ = self.feed()
        # RFC 4287 4.1.1: entries without an author need one on the feed.
        assert root.findtext(f"{ATOM}author/{ATOM}name") == self.world.body_a.name
        for required in ("id", "title", "updated"):
            assert root.findtext(f"{ATOM}{required}"), required
        entries = list(root.iter(f"{ATOM}entry"))
        assert entries
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert len(set(ids)) == len(ids), "atom:id must be unique"
        for entry in entries:
            for required in ("id", "title", "updated"):
                assert entry.findtext(f"{ATOM}{required}"), required
            assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
            dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))

    # Discovery and stamps ---------------------------------------------------------------------

    def test_dtstamp_is_when_the_calendar_was_made_and_last_modified_the_publication(
        self,
    ) -> None:
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        events = {str(e["UID"]): e for e in self.calendar().walk("VEVENT")}
        after = dt.datetime.now(dt.UTC)
        stamps = {e.decoded("DTSTAMP") for e in events.values()}
        assert len(stamps) == 1
        assert before <= stamps.pop() <= after
        march = events["prg-2019-03-06@testserver"]
        assert march.decoded("LAST-MODIFIED") < before

    def test_a_bodys_pages_let_readers_discover_its_feeds(self) -> None:
        for url in ("/prg/", "/prg/meetings/", "/prg/meetings/2019-03-06/minutes/"):
            page = self.client.get(url).content.decode()
            assert (
                '<link rel="alternate" type="application/atom+xml" title="Violence Reduction '
                'Unit Partnership Reference Group: published documents (Atom)" '
                'href="/prg/feed.atom">' in page
            ), url
            assert 'type="text/calendar"' in page and 'href="/prg/meetings.ics"' in page, url
