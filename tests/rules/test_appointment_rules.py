"""The terms-of-reference rules on appointments: seats, one appointment a person, 30%."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from members.models import Appointment, Seat, TermsOfReference
from tests.world import FULL_ROSTER, D, add_terms, appoint, full_roster, make_body, person


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


class SeatPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, cls.terms = make_body()

    def test_interim_plan_computes_eight_community_seats_from_seventeen_others(self) -> None:
        assert self.terms.community_seats() == 8
        assert self.terms.total_seats() == 25

    def test_share_line_capacity_is_the_computed_count(self) -> None:
        community = self.terms.seats.get(key="community")
        assert community.count is None
        assert self.terms.seat_capacity(community) == 8

    def test_only_the_community_line_may_take_its_count_from_the_share(self) -> None:
        seat = Seat(terms=self.terms, key="x", label="X", sector="health", count=None)
        with pytest.raises(ValidationError) as exc:
            seat.full_clean()
        assert "Only the community line" in messages_of(exc)

    def test_a_draft_is_never_in_force(self) -> None:
        add_terms(self.body, "later-draft", D(2019, 6, 1), status="draft")
        assert TermsOfReference.in_force(self.body, D(2019, 7, 1)) == self.terms

    def test_the_latest_endorsed_or_superseded_version_on_the_date_is_in_force(self) -> None:
        later = add_terms(self.body, "permanent", D(2019, 8, 1))
        assert TermsOfReference.in_force(self.body, D(2019, 7, 31)) == self.terms
        assert TermsOfReference.in_force(self.body, D(2019, 8, 1)) == later
        assert TermsOfReference.in_force(self.body, D(2018, 1, 1)) is None

    def test_bad_quorum_fraction_is_refused_with_the_value(self) -> None:
        self.terms.quorum_fraction = "3/2"
        with pytest.raises(ValidationError) as exc:
            self.terms.full_clean()
        assert "quorum_fraction" in exc.value.message_dict


class SeatCapacityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, cls.terms = make_body()
        full_roster(cls.body)

    def test_fourth_health_appointment_is_refused_naming_the_figures(self) -> None:
        appt = Appointment(
            body=self.body, person=person("health-4"), seat_key="health", start=D(2019, 3, 1)
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        text = messages_of(exc)
        assert "has 3 places" in text
        assert "already holds 3" in text
        assert "appointment 4 of 3" in text

    def test_a_seat_freed_the_day_before_can_be_filled(self) -> None:
        leaver = Appointment.objects.get(person__key="health-1")
        leaver.end = D(2019, 2, 28)
        leaver.full_clean()
        leaver.save()
        appoint(self.body, "health-4", "health", start=D(2019, 3, 1))

    def test_an_appointment_before_any_terms_in_force_is_refused(self) -> None:
        appt = Appointment(
            body=self.body,
            person=person("health-early"),
            seat_key="health",
            start=D(2019, 1, 1),
            exception="before the board's first roster",
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        wanted = "No terms of reference of Board prg are in force on 1 January 2019"
        assert wanted in messages_of(exc)

    def test_an_earlier_start_is_checked_against_later_appointments_too(self) -> None:
        leaver = Appointment.objects.get(person__key="health-1")
        leaver.end = D(2019, 1, 31)
        leaver.save()
        appoint(self.body, "health-4", "health", start=D(2019, 2, 10))
        # Free on 1 February, but it would overfill the seat when health-4 starts on the 10th.
        appt = Appointment(
            body=self.body,
            person=person("health-5"),
            seat_key="health",
            start=D(2019, 2, 1),
            exception="Mayor's decision",
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        assert "on 10 February 2019 already holds 3" in messages_of(exc)

    def test_unknown_seat_is_refused_listing_the_seats(self) -> None:
        appt = Appointment(
            body=self.body, person=person("x"), seat_key="nonsense", start=D(2019, 3, 1)
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        assert "no seat 'nonsense'" in messages_of(exc)
        assert "health" in messages_of(exc)

    def test_a_person_holds_at_most_one_active_appointment(self) -> None:
        appt = Appointment(
            body=self.body,
            person=person("health-1"),
            seat_key="scottish-vru",
            start=D(2019, 3, 1),
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        assert "at most one at a time" in messages_of(exc)

    def test_end_before_start_is_refused(self) -> None:
        appt = Appointment(
            body=self.body,
            person=person("y"),
            seat_key="community",
            start=D(2019, 3, 1),
            end=D(2019, 2, 1),
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        assert "ends (1 February 2019) before it starts (1 March 2019)" in messages_of(exc)


class CompositionRuleTests(TestCase):
    """A roster of 23 with 7 community members: 30%. One more non-community member: 29%."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, cls.terms = make_body()
        roster = [row for row in FULL_ROSTER if not row[0].startswith("community")][:16]
        roster += [(f"community-{i}", "community") for i in range(1, 8)]
        for key, seat in roster:
            appoint(cls.body, key, seat, D(2019, 1, 22), check=False)

    def test_roster_starts_at_thirty_percent(self) -> None:
        composition = self.body.composition_on(D(2019, 2, 1))
        assert (composition.members, composition.community, composition.percent) == (23, 7, 30)
        assert composition.meets_minimum

    def test_non_community_appointment_taking_share_from_30_to_29_percent_is_refused(self) -> None:
        appt = Appointment(
            body=self.body, person=person("gla-person"), seat_key="gla", start=D(2019, 3, 1)
        )
        with pytest.raises(ValidationError) as exc:
            appt.full_clean()
        text = messages_of(exc)
        assert "7 of 24 members (29%)" in text
        assert "minimum of 30%" in text
        assert "before it: 7 of 23, 30%" in text
        assert "1 more community member needed" in text

    def test_recorded_exception_lets_it_through_and_is_kept(self) -> None:
        appt = appoint(
            self.body,
            "gla-person",
            "gla",
            D(2019, 3, 1),
            exception="The Mayor appointed the GLA Chief Officer before the community seats "
            "were filled.",
        )
        appt.refresh_from_db()
        assert appt.exception.startswith("The Mayor appointed")

    def test_community_appointments_are_never_refused(self) -> None:
        appoint(self.body, "community-8", "community", D(2019, 3, 1))
        assert self.body.composition_on(D(2019, 3, 1)).community == 8

    def test_like_for_like_replacement_is_allowed_below_the_minimum(self) -> None:
        # Take the roster below the minimum first (with a recorded exception).
        appoint(self.body, "gla-person", "gla", D(2019, 3, 1), exception="Mayor's decision")
        assert not self.body.composition_on(D(2019, 3, 2)).meets_minimum
        leaver = Appointment.objects.get(person__key="lc-1")
        leaver.end = D(2019, 3, 6)
        leaver.full_clean()  # ending an appointment is always allowed
        leaver.save()
        appoint(self.body, "jas-athwal", "london-councils", D(2019, 3, 7))

    def test_a_gap_between_predecessor_and_successor_is_not_like_for_like(self) -> None:
        appoint(self.body, "gla-person", "gla", D(2019, 3, 1), exception="Mayor's decision")
        leaver = Appointment.objects.get(person__key="lc-1")
        leaver.end = D(2019, 3, 5)
        leaver.save()
        appt = Appointment(
            body=self.body,
            person=person("successor"),
            seat_key="london-councils",
            start=D(2019, 3, 7),
        )
        with pytest.raises(ValidationError):
            appt.full_clean()

    def test_ending_an_appointment_is_always_allowed_even_below_the_minimum(self) -> None:
        appoint(self.body, "gla-person", "gla", D(2019, 3, 1), exception="Mayor's decision")
        member = Appointment.objects.get(person__key="community-1")
        member.end = D(2019, 4, 1)
        member.full_clean()
        member.save()
        assert self.body.composition_on(D(2019, 4, 2)).community == 6

    def test_a_first_roster_is_judged_as_a_whole(self) -> None:
        body, _ = make_body(slug="new-board")
        appointments = full_roster(body, start=D(2019, 2, 1))
        for appt in appointments:
            appt.full_clean()  # the full roster meets 30%, so no exception is needed

    def test_the_shortfall_is_described_as_the_roster_shows_it(self) -> None:
        appoint(self.body, "gla-person", "gla", D(2019, 3, 1), exception="Mayor's decision")
        text = self.body.composition_on(D(2019, 3, 1)).describe()
        assert text == "7 of 24 community members, 29%; 1 more needed for 30%"


def test_community_share_of_an_empty_minimum_needs_no_community_seats(db: None) -> None:
    body, terms = make_body()
    terms.community_min_share = Decimal("0")
    assert terms.community_seats() == 0


def test_a_body_cannot_take_one_of_the_sites_own_addresses_as_its_slug(db: None) -> None:
    from members.models import Body

    with pytest.raises(ValidationError) as exc:
        Body(slug="search", name="Search Board").full_clean()
    assert "one of the site's own addresses" in " ".join(exc.value.messages)
