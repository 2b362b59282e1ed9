"""The public page cache: anonymous readers get cached pages (no queries), every change to the
records empties it, and nothing made for a signed-in reader is ever served to the public."""

from __future__ import annotations

import threading
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from meetings.models import AgendaItem, Meeting
from tests.public_world import UPCOMING_PUBLIC, WorldMixin
from vru_governance import page_cache

MAY = "/prg/meetings/2019-05-01/"
JUNE = "/prg/meetings/2019-06-12/"
REASONS = {"notice": "x", "composition": "y", "interval": "z", "equality": "w"}


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=600)
class PageCacheTests(WorldMixin, TestCase):
    def setUp(self) -> None:
        cache.clear()
        # The world was built in this test's enclosing transaction, which never commits: its
        # pending "empty the cache" would stand in for the ones these tests wait for.
        connection.run_on_commit = [
            entry
            for entry in connection.run_on_commit
            if entry[1] is not page_cache._invalidate_after_commit
        ]

    def get(self, url: str, client: Client | None = None):
        with CaptureQueriesContext(connection) as queries:
            response = (client or self.client).get(url)
        return response, len(queries)

    def test_a_second_anonymous_reader_is_served_from_the_cache_without_a_query(self) -> None:
        first, first_queries = self.get(MAY)
        second, second_queries = self.get(MAY)
        assert first["X-Page-Cache"] == "miss" and first_queries > 0
        assert second["X-Page-Cache"] == "hit" and second_queries == 0
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    def test_cached_pages_still_carry_the_security_headers(self) -> None:
        self.get(MAY)
        hit, _ = self.get(MAY)
        assert hit["X-Page-Cache"] == "hit"
        assert "script-src 'self'" in hit["Content-Security-Policy"]
        assert hit["X-Frame-Options"] == "DENY"

    def test_feeds_and_the_api_are_cached_with_their_own_headers(self) -> None:
        for url in ("/prg/feed.atom", "/prg/meetings.ics", "/api/bodies/prg/"):
            first, _ = self.get(url)
            hit, queries = self.get(url)
            assert hit["X-Page-Cache"] == "hit" and queries == 0, url
            assert hit["Content-Type"] == first["Content-Type"], url
        assert hit["Access-Control-Allow-Origin"] == "*"

    def test_query_strings_are_cached_apart(self) -> None:
        self.get("/search/?q=violence")
        other, _ = self.get("/search/?q=knife")
        assert other["X-Page-Cache"] == "miss"

    def test_publishing_an_agenda_in_the_workspace_shows_at_once_to_the_public(self) -> None:
        assert self.client.get(JUNE).status_code == 404  # a draft: not public
        cached, _ = self.get(MAY)
        secretary = Client()
        secretary.force_login(self.world.secretary_a)
        with (
            self.captureOnCommitCallbacks(execute=True),
            mock.patch("meetings.services.publication.freeze_published_documents"),
        ):
            response = secretary.post("/manage/prg/meetings/2019-06-12/publish/", REASONS)
        assert response.status_code == 302
        page, _ = self.get(JUNE)
        assert page.status_code == 200 and page["X-Page-Cache"] == "miss"
        listing, _ = self.get("/prg/meetings/?year=2019")
        assert listing["X-Page-Cache"] == "miss" and "12 June 2019" in listing.content.decode()

    def test_a_record_saved_outside_the_site_empties_the_cache_after_commit(self) -> None:
        self.get(MAY)
        item = AgendaItem.objects.filter(meeting__key="2019-05-01").first()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            AgendaItem.objects.filter(pk=item.pk).update(title="Renamed by the importer")
            item.refresh_from_db()
            item.save()
            item.save()
        assert len(callbacks) == 1  # once per transaction, however many saves
        page, _ = self.get(MAY)
        assert page["X-Page-Cache"] == "miss" and "Renamed by the importer" in page.content.decode()

    def test_the_cache_is_emptied_only_after_the_commit(self) -> None:
        self.get(MAY)
        before = page_cache.generation()
        with self.captureOnCommitCallbacks(execute=False):
            Meeting.objects.get(key="2019-05-01").save()
            assert page_cache.generation() == before
        hit, _ = self.get(MAY)
        assert hit["X-Page-Cache"] == "hit"

    def test_a_signed_in_partner_never_gets_the_public_copy_nor_leaves_theirs(self) -> None:
        partner = Client()
        partner.force_login(self.world.partner_a)
        public_first, _ = self.get(MAY)
        theirs = partner.get(MAY)
        assert "X-Page-Cache" not in theirs
        assert theirs.content != public_first.content  # the partner's view shows more
        public_again, _ = self.get(MAY)
        assert public_again["X-Page-Cache"] == "hit"
        assert public_again.content == public_first.content

    def test_partner_pages_are_never_cached(self) -> None:
        partner = Client()
        partner.force_login(self.world.partner_a)
        partner.get("/partners/")
        assert "X-Page-Cache" not in partner.get("/partners/")
        assert self.client.get("/partners/").status_code == 302  # sign in first

    def test_a_failed_sign_in_does_not_empty_the_cache(self) -> None:
        self.get(MAY)
        self.client.post("/accounts/login/", {"username": "x", "password": "y"})
        anonymous = Client()
        hit, _ = self.get(MAY, anonymous)
        assert hit["X-Page-Cache"] == "hit"

    def test_a_reader_with_a_session_is_served_fresh(self) -> None:
        self.get(MAY)
        reader = Client()
        reader.cookies["sessionid"] = "whatever"
        response = reader.get(MAY)
        assert "X-Page-Cache" not in response

    def test_the_upcoming_meeting_page_is_cached_like_any_other(self) -> None:
        url = f"/prg/meetings/{self.world.upcoming.key}/"
        self.get(url)
        hit, _ = self.get(url)
        assert hit["X-Page-Cache"] == "hit" and UPCOMING_PUBLIC in hit.content.decode()


class PageCacheOffTests(WorldMixin, TestCase):
    def test_with_no_lifetime_nothing_is_cached(self) -> None:
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
            self.client.get(MAY)
            assert "X-Page-Cache" not in self.client.get(MAY)


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=600)
class PageMadeOnceTests(WorldMixin, TestCase):
    """A page missed by several readers at once is made by the first; the others wait for
    it (just after a publication, every reader of a popular page misses at once)."""

    def setUp(self) -> None:
        cache.clear()
        self.key = page_cache._key(RequestFactory().get(MAY))
        self.filling = f"{self.key}:filling"

    def test_a_reader_missing_a_page_being_made_waits_for_it(self) -> None:
        assert cache.add(self.filling, 1, 10)  # another reader is making it
        made = (200, [("Content-Type", "text/html; charset=utf-8")], b"made by the other reader")
        other = threading.Timer(0.05, cache.set, args=(self.key, made, 600))
        other.start()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(MAY)
        other.join()
        assert response.content == b"made by the other reader"
        assert response["X-Page-Cache"] == "hit"
        assert len(queries) == 0  # not made again

    def test_when_the_other_reader_stops_without_storing_it_the_waiter_makes_it(self) -> None:
        assert cache.add(self.filling, 1, 10)
        other = threading.Timer(0.05, cache.delete, args=(self.filling,))
        other.start()
        response = self.client.get(MAY)
        other.join()
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
        assert b"1 May 2019" in response.content

    def test_the_reader_making_a_page_removes_its_mark_even_when_the_view_fails(self) -> None:
        assert self.client.get(MAY)["X-Page-Cache"] == "miss"
        assert cache.get(self.filling) is None
        cache.clear()
        with (
            mock.patch("vru_governance.public.meetings.render", side_effect=RuntimeError),
            self.assertRaises(RuntimeError),
        ):
            self.client.get(MAY)
        assert cache.get(self.filling) is None
