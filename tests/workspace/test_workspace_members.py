"""Membership in the workspace: roster by seat, composition, appointments, people, interests
and terms of reference versions."""

from __future__ import annotations

from django.test import TestCase

from members.models import Appointment, Interest, Person, TermsOfReference
from tests.world import DemoWorld

TERMS_POST = {
    "version": "2019-permanent",
    "title": "Permanent Terms of Reference",
    "effective_from": "2019-09-01",
    "text": "1. Introduction",
    "community_min_share": "0.30",
    "quorum_fraction": "1/2",
    "substitutes_count": "on",
    "remote_counts": "on",
    "agenda_notice_days": "5",
    "interval": "84-98",
    "seats-TOTAL_FORMS": "3",
    "seats-INITIAL_FORMS": "0",
    "seats-0-key": "chair",
    "seats-0-label": "Mayor of London (Chair)",
    "seats-0-sector": "chair",
    "seats-0-count": "1",
    "seats-1-key": "health",
    "seats-1-label": "Health",
    "seats-1-sector": "health",
    "seats-1-count": "6",
    "seats-2-key": "community",
    "seats-2-label": "[30%] community",
    "seats-2-sector": "community",
    "seats-2-count": "",
    "groups-TOTAL_FORMS": "1",
    "groups-INITIAL_FORMS": "0",
    "groups-0-label": "Chair",
    "groups-0-any_of": "chair",
}


class RosterTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_roster_lists_members_by_seat_with_vacant_seats(self) -> None:
        page = self.client.get("/manage/prg/members/?on=2019-05-01").content.decode()
        assert "Three senior representatives from the health sector" in page
        assert "Sir Sam Everington OBE" in page
        # The Scottish VRU seat and the third London Councils seat are vacant (demo-data.md).
        assert page.count("<em>Vacant</em>") >= 2
        assert "Interim Terms of Reference" in page

    def test_composition_panel_gives_members_share_minimum_and_shortfall(self) -> None:
        page = self.client.get("/manage/prg/members/?on=2019-05-01").content.decode()
        assert "3 of 23" in page
        assert "13%" in page and "0.30" in page
        assert '<dd class="col-sm-8" id="composition-shortfall">6</dd>' in page
        assert "6 more needed for 30%" in page

    def test_a_non_community_appointment_below_the_minimum_shows_the_figures(self) -> None:
        newcomer = Person.objects.create(key="new-gla", name="New Officer")
        response = self.client.post(
            "/manage/prg/members/appoint/",
            {"person": newcomer.pk, "seat_key": "scottish_vru", "start": "2019-05-02"},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert "3 of 24 members" in page and "below the minimum of 30%" in page
        assert not Appointment.objects.filter(person=newcomer).exists()

    def test_an_exception_with_a_reason_lets_the_appointment_through(self) -> None:
        newcomer = Person.objects.create(key="new-scot", name="Niven Rennie")
        response = self.client.post(
            "/manage/prg/members/appoint/",
            {
                "person": newcomer.pk,
                "seat_key": "scottish_vru",
                "start": "2019-05-02",
                "exception": "The Mayor appoints before the community seats are filled.",
            },
        )
        assert response.status_code == 302
        appt = Appointment.objects.get(person=newcomer)
        assert appt.exception.startswith("The Mayor appoints")

    def test_a_full_seat_is_refused_naming_its_holders(self) -> None:
        newcomer = Person.objects.create(key="another-chair", name="Another Chair")
        page = self.client.post(
            "/manage/prg/members/appoint/",
            {"person": newcomer.pk, "seat_key": "chair", "start": "2019-05-02", "exception": "x"},
        ).content.decode()
        assert "has 1 place and on 2 May 2019 already holds 1 (Sadiq Khan)" in page

    def test_a_community_appointment_is_never_refused_by_the_30_percent_rule(self) -> None:
        newcomer = Person.objects.create(key="community-new", name="Community Newcomer")
        response = self.client.post(
            "/manage/prg/members/appoint/",
            {"person": newcomer.pk, "seat_key": "community", "start": "2019-05-02"},
        )
        assert response.status_code == 302
        page = self.client.get("/manage/prg/members/?on=2019-05-02").content.decode()
        assert "4 of 24" in page

    def test_ending_an_appointment_is_recorded_with_its_history(self) -> None:
        appt = Appointment.objects.get(person__key="ben-lindsay")
        response = self.client.post(
            f"/manage/prg/members/{appt.pk}/end/", {"end": "2019-06-30"}, follow=True
        )
        assert "Ben Lindsay&#x27;s appointment ends on 30 June 2019." in response.content.decode()
        later = self.client.post(f"/manage/prg/members/{appt.pk}/end/", {"end": "2019-07-31"})
        assert (
            "already ended on 30 June 2019, so it cannot end later (31 July 2019)"
            in later.content.decode()
        )
        appt.refresh_from_db()
        assert str(appt.end) == "2019-06-30"
        page = self.client.get(f"/manage/prg/members/{appt.pk}/end/").content.decode()
        assert "secretary" not in page or "Amy Gelsthorpe-Hill" in page
        assert "→ 30 Jun 2019" in page  # the history shows dates as the secretary writes them

    def test_an_appointment_of_another_body_is_not_reachable(self) -> None:
        appt = Appointment.objects.get(body=self.other)
        assert self.client.get(f"/manage/prg/members/{appt.pk}/end/").status_code == 404


class PeopleTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_a_new_person_gets_a_key_from_their_name(self) -> None:
        response = self.client.post(
            "/manage/prg/people/new/", {"name": "Niven Rennie", "role": "Director, Scottish VRU"}
        )
        assert response.status_code == 302
        assert Person.objects.get(key="niven-rennie").role == "Director, Scottish VRU"

    def test_register_of_interests_keeps_entries_and_their_end(self) -> None:
        url = "/manage/prg/people/jake-ferguson/interests/"
        self.client.post(
            url,
            {
                "category": "employment",
                "description": "Chief Executive, Hackney CVS",
                "registered_on": "2019-01-01",
            },
        )
        interest = Interest.objects.get(person__key="jake-ferguson")
        self.client.post(
            f"{url}{interest.pk}/end/", {"ended_on": "2019-12-31", "version": interest.version}
        )
        interest.refresh_from_db()
        assert str(interest.ended_on) == "2019-12-31"
        page = self.client.get("/manage/prg/people/jake-ferguson/").content.decode()
        assert "Chief Executive, Hackney CVS" in page and "31 Dec 2019" in page

    def test_an_interest_ending_before_it_was_registered_is_a_form_error(self) -> None:
        interest = Interest.objects.create(
            person=Person.objects.get(key="jake-ferguson"),
            description="Trustee",
            registered_on="2019-05-01",
        )
        page = self.client.post(
            f"/manage/prg/people/jake-ferguson/interests/{interest.pk}/end/",
            {"ended_on": "2019-01-01", "version": interest.version},
        ).content.decode()
        assert "There is a problem" in page
        # The error names the dates, beside the field (not the database constraint's name).
        assert "registered on 1 May 2019, so it cannot end before that (1 January 2019)" in page
        assert "Constraint" not in page
        interest.refresh_from_db()
        assert interest.ended_on is None

    def test_a_refused_interest_keeps_what_was_typed_and_the_persons_history(self) -> None:
        page = self.client.post(
            "/manage/prg/people/jake-ferguson/interests/",
            {
                "category": "gift",
                "description": "Tickets to a match",
                "registered_on": "2019-02-31",
            },
        ).content.decode()
        assert "Registered on: Enter a valid date." in page
        assert "Tickets to a match" in page
        assert "person “Jake Ferguson” created" in page  # the history is still shown

    def test_people_of_another_body_are_not_listed_or_editable(self) -> None:
        page = self.client.get("/manage/prg/people/").content.decode()
        assert "Outsider Person" not in page and "Unattached Person" in page
        assert self.client.get("/manage/prg/people/outsider-person/").status_code == 404


class TermsTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_the_new_version_form_starts_from_the_version_in_force(self) -> None:
        page = self.client.get("/manage/prg/terms/new/").content.decode()
        assert "Three senior representatives from the health sector" in page
        assert "10 community seats" in page  # 22 fixed seats (demo-data.md)

    def test_computing_shows_the_community_seat_count_of_the_typed_plan(self) -> None:
        page = self.client.post(
            "/manage/prg/terms/new/", {**TERMS_POST, "compute": "1"}
        ).content.decode()
        # 7 other seats at 30%: 3 community seats, 10 in all.
        assert "3 community seats" in page and "10 seats in all" in page
        assert not TermsOfReference.objects.filter(version="2019-permanent").exists()

    def test_computing_counts_the_typed_plan_before_the_rest_of_the_form_is_filled(self) -> None:
        data = {**TERMS_POST, "compute": "1", "version": "", "title": "", "seats-1-count": "13"}
        page = self.client.post("/manage/prg/terms/new/", data).content.decode()
        # 14 other seats at 30%: 6 community seats, 20 in all (not the version in force's plan).
        assert "6 community seats" in page and "20 seats in all" in page
        assert 'value="13"' in page

    def test_a_draft_is_saved_then_endorsed_and_the_old_version_superseded(self) -> None:
        response = self.client.post("/manage/prg/terms/new/", {**TERMS_POST, "save": "1"})
        assert response.status_code == 302
        draft = TermsOfReference.objects.get(version="2019-permanent")
        assert draft.status == "draft"
        assert (draft.meeting_interval_min_days, draft.meeting_interval_max_days) == (84, 98)
        assert draft.community_seats() == 3
        self.client.post("/manage/prg/terms/2019-permanent/endorse/")
        draft.refresh_from_db()
        assert draft.status == "endorsed"
        assert TermsOfReference.objects.get(version="2019-interim").status == "superseded"
        page = self.client.get("/manage/prg/terms/2019-permanent/").content.decode()
        assert "Endorsed" in page and "History" in page

    def test_a_quorum_group_naming_an_unknown_seat_is_a_form_error(self) -> None:
        page = self.client.post(
            "/manage/prg/terms/new/", {**TERMS_POST, "groups-0-any_of": "chiar", "save": "1"}
        ).content.decode()
        assert "chiar, which is neither a sector nor a seat key" in page

    def test_an_endorsed_version_cannot_be_edited(self) -> None:
        response = self.client.get("/manage/prg/terms/2019-interim/edit/")
        assert response.status_code == 302
