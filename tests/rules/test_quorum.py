"""Quorum per agenda item (DESIGN rule 4), judged on hand-made meetings of the May 2019 board:
headcount, required groups, substitutes, remote members, arrivals, departures and withdrawals,
the meeting as a whole. The properties that hold for any meeting: test_quorum_properties.py."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pytest

from tests.rules.quorum_rules import CHAIR, COMMUNITY, COUNCILS, HEALTH, POLICE, rules
from vru_governance.rules.quorum import (
    Attendee,
    Item,
    ItemQuorum,
    Member,
    QuorumError,
    Rules,
    item_quorum,
    meeting_quorum,
    needed_for,
    parse_fraction,
)


def board(**counts: int) -> list[Member]:
    """A roster with people named after their seat: board(health=3) → health1..health3."""
    return [
        Member(f"{sector}{n}", frozenset({sector, f"{sector}-seat"}))
        for sector, count in counts.items()
        for n in range(1, count + 1)
    ]


# May 2019: 23 members, 12 needed.
MAY_2019 = board(
    chair=1,
    deputy_chair=1,
    deputy_mayor=1,
    police=1,
    london_councils=3,
    health=3,
    education=2,
    probation=1,
    funders=2,
    community=4,
    other=4,
)


def present(
    *people: str,
    remote: bool = False,
    from_index: int | None = None,
    to_index: int | None = None,
) -> list[Attendee]:
    """Members attending, in person and throughout unless told otherwise."""
    return [Attendee(p, "member", None, remote, from_index, to_index) for p in people]


# Twelve members, one of each required group.
QUORATE = present(
    "chair1",
    "police1",
    "london_councils1",
    "health1",
    "community1",
    "community2",
    "education1",
    "education2",
    "funders1",
    "funders2",
    "other1",
    "other2",
)

ONE_ITEM = [Item("1")]


def only_item(
    attendees: Sequence[Attendee],
    the_rules: Rules | None = None,
    members: Sequence[Member] = MAY_2019,
    items: Sequence[Item] = ONE_ITEM,
    index: int = 0,
) -> ItemQuorum:
    """Quorum for one item, by default the only item of a meeting of the May 2019 board."""
    return item_quorum(the_rules or rules(), members, attendees, items, index)


def without(attendees: Sequence[Attendee], *people: str) -> list[Attendee]:
    """The attendance records of everybody but these people."""
    return [a for a in attendees if a.person not in people]


# Headcount


@pytest.mark.parametrize(("members", "needed"), [(20, 10), (23, 12), (21, 11), (0, 0), (1, 1)])
def test_half_the_members_rounded_up_are_needed(members: int, needed: int) -> None:
    assert needed_for(members, Fraction(1, 2)) == needed


def test_a_third_of_25_members_needs_9() -> None:
    assert needed_for(25, Fraction(1, 3)) == 9


def test_fraction_is_read_from_a_slash_or_a_decimal() -> None:
    assert parse_fraction("1/2") == Fraction(1, 2)
    assert parse_fraction(" 0.5 ") == Fraction(1, 2)
    assert parse_fraction("1") == 1


@pytest.mark.parametrize("text", ["0", "-1/2", "3/2", "1.01", "half", "1/0", ""])
def test_fraction_outside_zero_to_one_or_unreadable_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_fraction(text)


def test_twelve_of_23_with_every_group_is_quorate() -> None:
    result = only_item(QUORATE)
    assert (result.present, result.needed, result.quorate, result.missing) == (12, 12, True, ())


def test_eleven_of_23_with_every_group_is_inquorate_on_headcount() -> None:
    result = only_item(without(QUORATE, "other2"))
    assert (result.present, result.quorate, result.missing) == (11, False, ())


def test_a_member_recorded_twice_counts_once() -> None:
    result = only_item([*QUORATE, Attendee("other2", "member")])
    assert result.present == 12


# Required groups


@pytest.mark.parametrize(
    ("label", "sectors"),
    [
        (CHAIR, ("chair", "deputy_chair")),
        (POLICE, ("police",)),
        (COUNCILS, ("london_councils",)),
        (HEALTH, ("health",)),
        (COMMUNITY, ("community",)),
    ],
)
def test_each_required_group_missing_makes_the_item_inquorate(
    label: str, sectors: tuple[str, ...]
) -> None:
    # Everybody else attends, so the headcount is more than met.
    attendees = present(*(m.person for m in MAY_2019 if not any(s in m.tags for s in sectors)))
    result = only_item(attendees)
    assert result.present >= result.needed
    assert not result.quorate
    assert result.missing == (label,)


def test_deputy_chair_satisfies_the_chair_group() -> None:
    result = only_item([*without(QUORATE, "chair1"), *present("deputy_chair1")])
    assert result.quorate


def test_missing_groups_are_listed_in_the_order_of_the_rules() -> None:
    result = only_item(present("community1", "health1"))
    assert result.missing == (CHAIR, POLICE, COUNCILS)


# Substitutes


def test_substitute_counts_for_headcount_in_place_of_their_member() -> None:
    attendees = [*without(QUORATE, "other2"), Attendee("Sam Deputy", "substitute", "other2")]
    result = only_item(attendees, rules(substitutes_count=True))
    assert (result.present, result.quorate) == (12, True)
    assert "other2" in result.counted


def test_substitute_does_not_count_for_headcount_when_the_tor_says_not() -> None:
    attendees = [*without(QUORATE, "other2"), Attendee("Sam Deputy", "substitute", "other2")]
    result = only_item(attendees, rules(substitutes_count=False))
    assert (result.present, result.quorate) == (11, False)
    assert "other2" not in result.counted


def test_substitute_for_police_member_satisfies_group_only_when_allowed() -> None:
    attendees = [*without(QUORATE, "police1"), *present("other3")]
    attendees.append(Attendee("DCS Rep", "substitute", on_behalf_of="police1"))

    draft = only_item(attendees, rules(police_representative=False))
    assert (draft.present, draft.quorate, draft.missing) == (13, False, (POLICE,))

    interim = only_item(attendees, rules(police_representative=True))
    assert (interim.present, interim.quorate, interim.missing) == (13, True, ())


def test_substitute_for_health_member_never_satisfies_the_health_group() -> None:
    attendees = [*without(QUORATE, "health1"), *present("other3")]
    attendees.append(Attendee("Deputy", "substitute", on_behalf_of="health1"))
    result = only_item(attendees, rules(police_representative=True))
    assert result.missing == (HEALTH,)


def test_member_and_their_substitute_both_present_is_an_error() -> None:
    attendees = [*QUORATE, Attendee("DCS Rep", "substitute", on_behalf_of="police1")]
    with pytest.raises(QuorumError, match=r"police1 .*DCS Rep.* item 1"):
        only_item(attendees)


def test_substitute_may_take_over_for_items_after_the_member_left() -> None:
    items = [Item("1"), Item("2")]
    attendees = [
        *without(QUORATE, "police1"),
        Attendee("police1", "member", to_index=0),
        Attendee("DCS Rep", "substitute", on_behalf_of="police1", from_index=1),
    ]
    result = meeting_quorum(rules(police_representative=True), MAY_2019, attendees, items)
    assert result.quorate
    assert result.present == 12


def test_substitute_for_someone_who_is_not_a_member_is_an_error() -> None:
    attendees = [*QUORATE, Attendee("Pat Proxy", "substitute", on_behalf_of="former_member")]
    with pytest.raises(QuorumError, match="Pat Proxy.*former_member") as caught:
        only_item(attendees)
    assert caught.value.people == ("Pat Proxy", "former_member")


def test_non_member_recorded_as_member_is_an_error() -> None:
    with pytest.raises(QuorumError, match="former_member"):
        only_item([*QUORATE, *present("former_member")])


def test_an_unknown_capacity_is_an_error() -> None:
    with pytest.raises(QuorumError, match="observer"):
        only_item([*QUORATE, Attendee("other3", "observer")])


# Others present


def test_people_in_attendance_and_apologies_never_count() -> None:
    attendees = [
        *without(QUORATE, "other2", "health1"),
        Attendee("other2", "apologies"),
        Attendee("health1", "apologies"),
        Attendee("health2", "in_attendance"),
        Attendee("Officer", "in_attendance"),
    ]
    result = only_item(attendees)
    assert (result.present, result.quorate, result.missing) == (10, False, (HEALTH,))


# Remote participation


def test_remote_member_counts_only_when_the_tor_allows_it() -> None:
    attendees = [*without(QUORATE, "health1"), *present("health1", remote=True)]
    assert not only_item(attendees, rules(remote_counts=False)).quorate
    assert only_item(attendees, rules(remote_counts=False)).missing == (HEALTH,)
    assert only_item(attendees, rules(remote_counts=True)).quorate


def test_remote_member_present_with_a_substitute_is_still_an_error() -> None:
    attendees = [
        *without(QUORATE, "police1"),
        *present("police1", remote=True),
        Attendee("DCS Rep", "substitute", on_behalf_of="police1"),
    ]
    with pytest.raises(QuorumError):
        only_item(attendees, rules(remote_counts=False))


# Arrivals, departures and withdrawals

AGENDA = [Item(n) for n in ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "9", "10")]


def test_health_member_arriving_at_item_3_and_leaving_after_8c_loses_the_other_items() -> None:
    attendees = [
        *without(QUORATE, "health1"),
        # Arrived at item 3 (position 2), left after item 8c (position 9).
        *present("health1", from_index=2, to_index=9),
    ]
    result = meeting_quorum(rules(), MAY_2019, attendees, AGENDA)
    assert result.lost_at() == ("1", "2", "9", "10")
    assert not result.quorate
    assert result.missing == (HEALTH,)
    assert result.present == 12
    assert [item.present for item in result.items] == [11, 11] + [12] * 8 + [11, 11]

    assert item_quorum(rules(), MAY_2019, attendees, AGENDA, 2).quorate
    assert not item_quorum(rules(), MAY_2019, attendees, AGENDA, 10).quorate


def test_member_who_withdrew_after_a_declaration_does_not_count_for_that_item() -> None:
    items = [Item("1"), Item("2", withdrawn=frozenset({"community1"})), Item("3")]
    result = meeting_quorum(rules(), MAY_2019, QUORATE, items)
    assert result.lost_at() == ("2",)
    assert result.items[1].present == 11
    assert "community1" not in result.items[1].counted
    assert result.items[1].missing == ()


def test_only_community_member_withdrawing_loses_the_community_group() -> None:
    attendees = without(QUORATE, "community2") + present("other3")
    items = [Item("1", withdrawn=frozenset({"community1"}))]
    assert only_item(attendees, items=items).missing == (COMMUNITY,)


def test_substitute_who_withdrew_does_not_count_for_that_item() -> None:
    attendees = [*without(QUORATE, "police1"), Attendee("Rep", "substitute", "police1")]
    items = [Item("1", withdrawn=frozenset({"Rep"}))]
    result = only_item(attendees, rules(police_representative=True), items=items)
    assert (result.present, result.missing) == (11, (POLICE,))


# The meeting as a whole


def test_meeting_is_quorate_only_if_every_item_is() -> None:
    items = [Item("1"), Item("2"), Item("3")]
    attendees = [*without(QUORATE, "chair1"), *present("chair1", to_index=1)]
    result = meeting_quorum(rules(), MAY_2019, attendees, items)
    assert (result.members, result.needed, result.present) == (23, 12, 12)
    assert not result.quorate
    assert result.lost_at() == ("3",)
    assert result.missing == (CHAIR,)


def test_meeting_present_counts_everyone_who_counted_for_at_least_one_item() -> None:
    items = [Item("1"), Item("2")]
    attendees = [*QUORATE, *present("other3", "other4", from_index=1)]
    result = meeting_quorum(rules(), MAY_2019, attendees, items)
    assert [item.present for item in result.items] == [12, 14]
    assert result.present == 14
    assert result.quorate
    assert result.lost_at() == ()


def test_meeting_missing_is_every_label_missing_at_any_item_in_rules_order() -> None:
    items = [Item("1"), Item("2")]
    attendees = [
        *without(QUORATE, "health1", "police1"),
        *present("police1", from_index=1),
        *present("health1", to_index=0),
    ]
    result = meeting_quorum(rules(), MAY_2019, attendees, items)
    assert result.items[0].missing == (POLICE,)
    assert result.items[1].missing == (HEALTH,)
    assert result.missing == (POLICE, HEALTH)


def test_meeting_without_items_is_judged_as_one_item() -> None:
    result = meeting_quorum(rules(), MAY_2019, QUORATE, [])
    assert (result.present, result.quorate, result.items, result.lost_at()) == (12, True, (), ())
    short = meeting_quorum(rules(), MAY_2019, without(QUORATE, "health1"), [])
    assert (short.quorate, short.missing) == (False, (HEALTH,))


def test_quorum_export_matches_the_records_format() -> None:
    items = [Item("1"), Item("2", withdrawn=frozenset({"health1"}))]
    result = meeting_quorum(rules(), MAY_2019, QUORATE, items)
    assert result.as_export() == {
        "members": 23,
        "needed": 12,
        "present": 12,
        "quorate": False,
        "missing": [HEALTH],
        "items": [
            {"number": "1", "present": 12, "quorate": True, "missing": []},
            {"number": "2", "present": 11, "quorate": False, "missing": [HEALTH]},
        ],
    }


def test_the_note_says_enough_were_present_but_a_group_was_not() -> None:
    result = ItemQuorum("8", 16, 11, False, ("Health",), ())
    assert result.not_quorate() == (
        "The meeting was not quorate for this item: 16 present, 11 needed, but no one present "
        "for Health"
    )


def test_the_note_gives_the_figures_alone_when_only_the_headcount_fell_short() -> None:
    assert ItemQuorum("8", 9, 12, False, (), ()).headcount == "9 present, 12 needed"


def test_the_note_names_every_missing_group_when_the_headcount_also_fell_short() -> None:
    result = ItemQuorum("8", 9, 12, False, ("Chair or Deputy Chair", "Health", "Police"), ())
    assert result.not_quorate("item 8") == (
        "The meeting was not quorate for item 8: 9 present, 12 needed, and no one present for "
        "Chair or Deputy Chair, for Health and for Police"
    )
