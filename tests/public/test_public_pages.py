"""The public site: bodies, meetings by year, a meeting's agenda and papers, members, terms."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from meetings.models import Meeting
from members.models import TermsOfReference
from tests.public_world import (
    NEVER_PUBLIC,
    SECRET_DRAFT_AGENDA,
    SECRET_EXEMPT,
    SECRET_EXEMPT_TITLE,
    UPCOMING_EXEMPT,
    UPCOMING_PUBLIC,
    WorldMixin,
    add_meeting,
)
from tests.world import make_body


def assert_no_secrets(text: str, secrets: list[str] = NEVER_PUBLIC) -> None:
    leaked = [s for s in secrets if s in text]
    assert not leaked, f"leaked: {leaked}"


class PublicSiteTests(WorldMixin, TestCase):
    # Home pages ------------------------------------------------------------------------------

    def test_home_lists_every_body_with_its_description(self) -> None:
        text = self.page("/")
        assert "Violence Reduction Unit Partnership Reference Group" in text
        assert "Other Partnership Board" in text
        assert 'href="/prg/"' in text and 'href="/other/"' in text

    def test_body_home_says_what_it_is_and_shows_the_next_meeting(self) -> None:
        text = self.page("/prg/")
        assert "non-statutory, non-decision making group" in text
        upcoming = self.world.upcoming
        assert f'href="/prg/meetings/{upcoming.key}/"' in text
        assert "Interim Terms of Reference" in text

    def test_body_home_lists_recently_published_documents_and_nothing_else(self) -> None:
        text = self.page("/prg/")
        assert "Agenda: Violence Reduction Unit Partnership Reference Group, 1 May 2019" in text
        assert "Closing the gaps in support" in text  # a public paper of 1 May
        assert UPCOMING_PUBLIC in text
        assert_no_secrets(text)

    def test_accessibility_statement_follows_the_public_sector_model(self) -> None:
        text = self.page("/accessibility/")
        for heading in (
            "Accessibility statement for VRU Governance",
            "Feedback and contact information",
            "Enforcement procedure",
            "Compliance status",
            "Non-accessible content",
            "Preparation of this accessibility statement",
        ):
            assert heading in text
        assert "WCAG" in text and "2.2" in text

    def test_an_unknown_body_is_not_found(self) -> None:
        assert self.client.get("/nope/").status_code == 404
        assert self.client.get("/nope/meetings/").status_code == 404

    # Meetings by year --------------------------------------------------------------------

    def test_meetings_are_listed_by_year_latest_year_first(self) -> None:
        text = self.page("/prg/meetings/")
        year = timezone.localdate().year
        assert f"Meetings in {year}" in text
        assert '?year=2019"' in text

    def test_a_year_lists_its_published_meetings_in_date_order(self) -> None:
        text = self.page("/prg/meetings/?year=2019")
        march, may = text.index("6 March 2019"), text.index("1 May 2019")
        assert text.index("22 January 2019") < march < may
        assert "/prg/meetings/2019-03-06/minutes/" in text

    def test_a_draft_meeting_is_not_listed_for_the_public_or_partners(self) -> None:
        for reader in (None, self.world.partner_a):
            text = self.page("/prg/meetings/?year=2019", reader)
            assert "12 June 2019" not in text

    def test_the_secretary_sees_the_draft_meeting_marked_as_such(self) -> None:
        text = self.page("/prg/meetings/?year=2019", self.world.secretary_a)
        assert "12 June 2019" in text
        assert "Draft agenda (not published)" in text

    def test_a_year_without_meetings_says_so(self) -> None:
        text = self.page("/prg/meetings/?year=2001")
        assert "No meetings with a published agenda in 2001." in text

    def test_a_long_year_is_paginated(self) -> None:
        for day in range(1, 26):
            add_meeting(self.world.body_a, dt.date(2020, 1, 1) + dt.timedelta(days=day), "held")
        first = self.page("/prg/meetings/?year=2020")
        assert "Page 1 of 2" in first
        assert "?year=2020&amp;page=2" in first
        second = self.page("/prg/meetings/?year=2020&page=2")
        assert "Sunday 26 January 2020" in second
        assert "Thursday 2 January 2020" not in second

    # A meeting's page --------------------------------------------------------------------

    def test_the_meeting_page_shows_date_time_place_and_agenda(self) -> None:
        text = self.page("/prg/meetings/2019-05-01/")
        assert "Wednesday 1 May 2019" in text
        assert '<dd class="col-sm-10">2pm</dd>' in text or "2pm to " in text
        assert "Committee Room 2, City Hall" in text
        assert "VRU Delivery Model and Programme Development" in text
        assert 'id="item-8"' in text

    def test_public_papers_link_to_their_pdf(self) -> None:
        text = self.page("/prg/meetings/2019-05-01/")
        assert 'href="/prg/meetings/2019-05-01/papers/closing-the-gaps.pdf"' in text
        assert 'href="/prg/meetings/2019-05-01/agenda.pdf"' in text
        assert 'href="/prg/meetings/2019-05-01/pack.pdf"' in text

    def test_an_exempt_paper_shows_only_that_it_is_not_for_publication_and_its_section(
        self,
    ) -> None:
        text = self.page("/prg/meetings/2019-05-01/")
        assert "MOPAC Update" in text  # the item's title stays
        assert "Report not for publication" in text
        assert "exempt under s.43 of the Freedom of Information Act 2000" in text
        assert "mopac-briefing" not in text
        assert "partners-pack.pdf" not in text
        assert_no_secrets(text)

    def test_a_partner_sees_the_exempt_paper_marked_as_not_for_publication(self) -> None:
        text = self.page("/prg/meetings/2019-05-01/", self.world.partner_a)
        assert f"{SECRET_EXEMPT_TITLE} briefing" in text
        assert "Partners only: not for publication (s.43)" in text
        assert "/prg/meetings/2019-05-01/papers/mopac-briefing.pdf" in text
        assert "/prg/meetings/2019-05-01/partners-pack.pdf" in text
        assert SECRET_EXEMPT not in text  # the page links to the paper; it does not print it

    def test_a_partner_of_another_body_sees_what_the_public_sees(self) -> None:
        text = self.page("/prg/meetings/2019-05-01/", self.world.partner_b)
        assert "Report not for publication" in text
        assert_no_secrets(text)

    def test_published_minutes_are_linked_as_a_page_and_a_pdf(self) -> None:
        text = self.page("/prg/meetings/2019-03-06/")
        assert 'href="/prg/meetings/2019-03-06/minutes/"' in text
        assert 'href="/prg/meetings/2019-03-06/minutes.pdf"' in text

    def test_unpublished_minutes_are_not_linked_for_the_public(self) -> None:
        for meeting in (self.world.held, self.world.circulated, self.world.approved):
            text = self.page(f"/prg/meetings/{meeting.key}/")
            assert "minutes.pdf" not in text and "/minutes/" not in text
            assert "will be published here once the board has approved them" in text

    def test_a_partner_is_offered_circulated_minutes_marked_as_draft(self) -> None:
        text = self.page(f"/prg/meetings/{self.world.circulated.key}/", self.world.partner_a)
        assert f"/prg/meetings/{self.world.circulated.key}/minutes/" in text
        assert "Draft: not published" in text

    def test_a_draft_meeting_is_not_found_except_by_its_secretary(self) -> None:
        url = "/prg/meetings/2019-06-12/"
        for reader in (None, self.world.partner_a, self.world.partner_b):
            self.client.logout()
            if reader:
                self.client.force_login(reader)
            assert self.client.get(url).status_code == 404
        text = self.page(url, self.world.secretary_a)
        assert SECRET_DRAFT_AGENDA in text
        assert "Draft agenda: not published" in text

    def test_the_upcoming_meeting_withholds_its_exempt_paper_from_the_public(self) -> None:
        text = self.page(f"/prg/meetings/{self.world.upcoming.key}/")
        assert UPCOMING_PUBLIC in text
        assert UPCOMING_EXEMPT not in text

    # Members and attendance records ------------------------------------------------------

    def test_members_page_lists_current_members_with_role_seat_and_dates(self) -> None:
        text = self.page("/prg/members/")
        assert "Jake Ferguson" in text
        assert "Chief Executive, Hackney CVS" in text
        assert "[30%] representatives from the community" in text
        assert "from 29 October 2018" in text
        assert 'href="/prg/members/jake-ferguson/"' in text

    def test_members_page_shows_the_community_share_with_any_shortfall(self) -> None:
        text = self.page("/prg/members/")
        assert "Community representation:" in text
        assert "community members" in text

    def test_former_members_are_listed_with_the_dates_they_served(self) -> None:
        text = self.page("/prg/members/")
        former = text[text.index("Former members") :]
        assert "Lib Peck" in former
        assert "29 October 2018 to 6 March 2019" in former

    def test_a_member_page_shows_the_attendance_record_from_published_minutes(self) -> None:
        text = self.page("/prg/members/jake-ferguson/")
        assert "Jake Ferguson" in text and "Hackney CVS" in text
        assert "Attendance record" in text
        assert 'href="/prg/meetings/2019-03-06/"' in text
        # The circulated meeting's apologies are not public yet.
        assert f'/prg/meetings/{self.world.circulated.key}/"' not in text

    def test_a_partner_sees_attendance_from_circulated_minutes_too(self) -> None:
        text = self.page("/prg/members/jake-ferguson/", self.world.partner_a)
        assert f'href="/prg/meetings/{self.world.circulated.key}/"' in text
        assert "Apologies" in text

    def test_substitutes_sent_and_apologies_are_counted(self) -> None:
        response = self.client.get("/prg/members/yvonne-doyle/")
        record = response.context["record"]
        march = next(r for r in record.rows if r.meeting.key == "2019-03-06")
        assert march.outcome == "Apologies"
        assert [p.name for p in march.substitutes] == ["Vicky Hobart"]
        assert record.apologies == 1 and record.substitutes_sent == 1
        assert "Vicky Hobart" in response.content.decode()

    def test_someone_never_appointed_to_the_body_has_no_member_page(self) -> None:
        assert self.client.get("/prg/members/outsider-person/").status_code == 404
        assert self.client.get("/prg/members/nobody-at-all/").status_code == 404

    # Terms of reference ------------------------------------------------------------------

    def test_the_terms_in_force_are_shown_with_seats_and_text(self) -> None:
        text = self.page("/prg/terms/")
        assert "Interim Terms of Reference" in text
        assert "In force" in text
        assert "Three senior representatives from the health sector" in text
        assert "<h3>1. Introduction</h3>" in text

    def test_earlier_versions_are_listed_and_readable(self) -> None:
        text = self.page("/prg/terms/")
        draft = TermsOfReference.objects.get(version="2018-10-draft")
        assert 'href="/prg/terms/2018-10-draft/"' in text
        older = self.page("/prg/terms/2018-10-draft/")
        assert draft.title in older
        assert "Superseded" in older
        assert "The version in force is" in older

    def test_a_draft_version_is_not_published(self) -> None:
        TermsOfReference.objects.create(
            body=self.world.body_a,
            version="2020-draft",
            title="SECRET-DRAFT-TERMS",
            effective_from=dt.date(2020, 1, 1),
        )
        assert self.client.get("/prg/terms/2020-draft/").status_code == 404
        assert "SECRET-DRAFT-TERMS" not in self.page("/prg/terms/")

    # Cancelled meetings ------------------------------------------------------------------

    def test_a_cancelled_meeting_is_not_public(self) -> None:
        meeting = add_meeting(self.world.body_a, dt.date(2019, 11, 20), Meeting.Status.CANCELLED)
        assert self.client.get(f"/prg/meetings/{meeting.key}/").status_code == 404


class SingleBodyHomeTests(TestCase):
    def test_home_is_the_only_bodys_home_page(self) -> None:
        body, _ = make_body("solo")
        body.description = "The only board here."
        body.save()
        response = self.client.get("/")
        assert response.status_code == 200
        text = response.content.decode()
        assert "The only board here." in text
        assert "Next meeting" in text
