"""Community seats and the 30% community share (DESIGN rules 2 and 3)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vru_governance.rules.composition import (
    Composition,
    community_seat_count,
    percent_str,
    seat_plan,
)

THIRTY = Decimal("0.30")


def test_interim_tor_with_17_other_seats_needs_8_community_seats() -> None:
    assert community_seat_count(17, THIRTY) == 8
    assert Fraction(8, 25) >= Fraction(3, 10) > Fraction(7, 24)


def test_no_minimum_needs_no_community_seats() -> None:
    assert community_seat_count(17, Decimal("0")) == 0


def test_exact_share_needs_no_extra_seat() -> None:
    # 7 other seats at 0.30: 3 of 10 is exactly 30%.
    assert community_seat_count(7, THIRTY) == 3


def test_no_other_seats_needs_no_community_seats() -> None:
    assert community_seat_count(0, THIRTY) == 0


def test_the_share_line_holds_the_community_seats_the_fixed_ones_do_not() -> None:
    # The interim plan: 17 other seats, 2 fixed community seats and a line from the share.
    plan = seat_plan([("police", 2), ("health", 15), ("community", 2), ("community", None)], THIRTY)
    assert (plan.community, plan.share_line, plan.total) == (8, 6, 25)
    assert (plan.capacity(15), plan.capacity(None)) == (15, 6)


def test_a_plan_without_a_share_line_counts_only_its_fixed_seats() -> None:
    plan = seat_plan([("police", 3), ("community", 1)], THIRTY)
    assert (plan.community, plan.share_line, plan.total) == (1, 0, 4)


def test_fixed_community_seats_above_the_share_are_kept() -> None:
    plan = seat_plan([("police", 1), ("community", 5), ("community", None)], THIRTY)
    assert (plan.community, plan.share_line, plan.total) == (5, 0, 6)


@pytest.mark.parametrize("share", ["1", "1.5", "-0.1"])
def test_seat_count_refuses_a_share_outside_zero_to_one(share: str) -> None:
    with pytest.raises(ValueError, match="minimum community share"):
        community_seat_count(17, Decimal(share))


def test_seat_count_refuses_negative_other_seats() -> None:
    with pytest.raises(ValueError):
        community_seat_count(-1, THIRTY)


def test_may_2019_roster_of_4_in_23_is_17_percent_and_5_short() -> None:
    roster = Composition(members=23, community=4, minimum=THIRTY)
    assert roster.share == Fraction(4, 23)
    assert roster.share_str == "0.17"
    assert roster.percent == 17
    assert not roster.meets_minimum
    assert roster.shortfall == 5
    assert roster.describe() == "4 of 23 community members, 17%; 5 more needed for 30%"


def test_five_more_community_members_is_exactly_enough() -> None:
    assert Composition(members=27, community=8, minimum=THIRTY).meets_minimum is False
    assert Composition(members=28, community=9, minimum=THIRTY).meets_minimum is True


def test_full_interim_board_meets_the_minimum() -> None:
    roster = Composition(members=25, community=8, minimum=THIRTY)
    assert roster.meets_minimum
    assert roster.shortfall == 0
    assert roster.share_str == "0.32"
    assert roster.describe() == "8 of 25 community members, 32%; meets the minimum of 30%"


def test_empty_roster_does_not_meet_a_positive_minimum_and_needs_one() -> None:
    roster = Composition(members=0, community=0, minimum=THIRTY)
    assert roster.share == 0
    assert not roster.meets_minimum
    assert roster.shortfall == 1
    assert roster.describe() == "0 of 0 community members, 0%; 1 more needed for 30%"


def test_empty_roster_meets_a_zero_minimum() -> None:
    roster = Composition(members=0, community=0, minimum=Decimal("0"))
    assert roster.meets_minimum
    assert roster.shortfall == 0


def test_share_and_percent_round_half_up() -> None:
    # 1/8 = 0.125 → "0.13"; 1/200 = 0.5% → 1%.
    assert Composition(members=8, community=1, minimum=THIRTY).share_str == "0.13"
    assert Composition(members=200, community=1, minimum=THIRTY).percent == 1
    assert Composition(members=3, community=3, minimum=THIRTY).share_str == "1.00"


def test_percent_str_rounds_half_up() -> None:
    assert percent_str(Fraction(2, 7)) == "29%"
    assert percent_str(Fraction(1, 200)) == "1%"
    assert percent_str(Fraction(3, 10)) == "30%"


def test_export_block_matches_the_records_format() -> None:
    assert Composition(members=23, community=4, minimum=THIRTY).as_export() == {
        "members": 23,
        "community": 4,
        "share": "0.17",
        "minimum": "0.30",
        "meets_minimum": False,
        "shortfall": 5,
    }


def test_export_writes_the_minimum_with_two_decimals() -> None:
    assert Composition(members=1, community=1, minimum=Decimal("0.3")).as_export()["minimum"] == (
        "0.30"
    )


@pytest.mark.parametrize(("members", "community"), [(-1, 0), (3, 4), (3, -1)])
def test_composition_refuses_impossible_counts(members: int, community: int) -> None:
    with pytest.raises(ValueError):
        Composition(members=members, community=community, minimum=THIRTY)


def test_composition_refuses_a_minimum_of_one() -> None:
    with pytest.raises(ValueError):
        Composition(members=3, community=3, minimum=Decimal("1"))


minimums = st.integers(min_value=0, max_value=99).map(lambda n: Decimal(n) / 100)


@settings(max_examples=200)
@given(other=st.integers(min_value=0, max_value=200), minimum=minimums)
def test_seat_count_is_the_fewest_that_reach_the_minimum(other: int, minimum: Decimal) -> None:
    c = community_seat_count(other, minimum)
    m = Fraction(minimum)
    assert c == 0 or Fraction(c, other + c) >= m
    assert c == 0 or Fraction(c - 1, other + c - 1) < m


@settings(max_examples=200)
@given(
    data=st.integers(min_value=0, max_value=200).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n))
    ),
    minimum=minimums,
)
def test_shortfall_is_the_fewest_community_appointments_to_add(
    data: tuple[int, int], minimum: Decimal
) -> None:
    members, community = data
    k = Composition(members=members, community=community, minimum=minimum).shortfall
    assert Composition(members + k, community + k, minimum).meets_minimum
    if k:
        assert not Composition(members + k - 1, community + k - 1, minimum).meets_minimum
