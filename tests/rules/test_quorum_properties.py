"""Quorum per agenda item (DESIGN rule 4): properties that hold for any roster, attendance
and rules that hypothesis draws — one more member present never loses quorum, the only health
member leaving always loses the health group, counts stay within the roster, and the headcount
needed is the fraction rounded up. The hand-made meetings: tests/rules/test_quorum.py."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rules.quorum_rules import HEALTH, groups
from vru_governance.rules.quorum import (
    Attendee,
    Item,
    Member,
    Rules,
    item_quorum,
    meeting_quorum,
    needed_for,
)

SECTORS = ("chair", "deputy_chair", "police", "london_councils", "health", "community", "other")
FRACTIONS = (Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1))


@st.composite
def meetings(draw: st.DrawFn) -> tuple[Rules, list[Member], list[Attendee], list[Item]]:
    """A roster of 1–30 members, valid attendance records, items with withdrawals."""
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=30))
    # Often seat every required group and have those members attend, so that quorate
    # items are common enough for the properties to say something.
    diligent = draw(st.booleans())
    if diligent:
        required = ["chair", "police", "london_councils", "health", "community"]
        sectors = required + sectors[: 30 - len(required)]
    members = [Member(f"p{i}", frozenset({s, f"{s}-{i}"})) for i, s in enumerate(sectors)]
    n_items = draw(st.integers(min_value=1, max_value=5))
    positions = st.one_of(*[st.none()] * 4, st.integers(min_value=0, max_value=n_items - 1))
    kinds = st.sampled_from(("member",) * 10 + ("substitute", "absent", "apologies"))
    attendees: list[Attendee] = []
    for i, m in enumerate(members):
        if diligent and i < 5:
            attendees.append(Attendee(m.person, "member"))
            continue
        # One kind of record per member, so a member and their substitute never overlap.
        kind = draw(kinds)
        if kind == "absent":
            continue
        person, behalf = (f"sub-{m.person}", m.person) if kind == "substitute" else (m.person, None)
        attendees.append(
            Attendee(
                person,
                kind,
                on_behalf_of=behalf,
                remote=draw(st.sampled_from((False,) * 5 + (True,))),
                from_index=draw(positions),
                to_index=draw(positions),
            )
        )
    attendees += [Attendee(f"guest{i}", "in_attendance") for i in range(draw(st.integers(0, 2)))]
    people = [m.person for m in members] + [a.person for a in attendees]
    items = [
        Item(str(i + 1), frozenset(draw(st.lists(st.sampled_from(people), max_size=2))))
        for i in range(n_items)
    ]
    the_rules = Rules(
        fraction=draw(st.sampled_from(FRACTIONS)),
        substitutes_count=draw(st.booleans()),
        remote_counts=draw(st.booleans()),
        groups=groups(police_representative=draw(st.booleans())),
    )
    return the_rules, members, attendees, items


def _absent_member(members: list[Member], attendees: list[Attendee], item: Item) -> Member | None:
    """A member with no record that could be there for the item, if there is one."""
    busy = {a.person for a in attendees} | {a.on_behalf_of for a in attendees}
    return next((m for m in members if m.person not in busy | item.withdrawn), None)


@settings(max_examples=200, deadline=None)
@given(meeting=meetings(), data=st.data())
def test_one_more_member_present_never_makes_a_quorate_item_inquorate(
    meeting: tuple[Rules, list[Member], list[Attendee], list[Item]], data: st.DataObject
) -> None:
    the_rules, members, attendees, items = meeting
    index = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    before = item_quorum(the_rules, members, attendees, items, index)
    newcomer = _absent_member(members, attendees, items[index])
    if newcomer is not None:
        after = item_quorum(
            the_rules, members, [*attendees, Attendee(newcomer.person, "member")], items, index
        )
        assert after.present == before.present + 1
        assert after.quorate or not before.quorate
    # A newly appointed member attending raises the headcount needed by at most one.
    joined = Member("newly-appointed", frozenset({"other"}))
    after = item_quorum(
        the_rules,
        [*members, joined],
        [*attendees, Attendee(joined.person, "member")],
        items,
        index,
    )
    assert after.quorate or not before.quorate


@settings(max_examples=200, deadline=None)
@given(meeting=meetings(), data=st.data())
def test_removing_the_only_health_member_always_loses_the_health_group(
    meeting: tuple[Rules, list[Member], list[Attendee], list[Item]], data: st.DataObject
) -> None:
    the_rules, members, attendees, items = meeting
    others = [m for m in members if "health" not in m.tags]
    health = Member("the-health-member", frozenset({"health", "health-seat"}))
    index = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    roster = [*others, health]
    # Drop every record of the health members and of their substitutes.
    dropped = {m.person for m in members if "health" in m.tags}
    kept = [a for a in attendees if dropped.isdisjoint({a.person, a.on_behalf_of})]
    with_health = [*kept, Attendee(health.person, "member")]
    assert HEALTH not in item_quorum(the_rules, roster, with_health, items, index).missing
    result = item_quorum(the_rules, roster, kept, items, index)
    assert not result.quorate
    assert HEALTH in result.missing


@settings(max_examples=200, deadline=None)
@given(meeting=meetings())
def test_present_never_exceeds_the_members(
    meeting: tuple[Rules, list[Member], list[Attendee], list[Item]],
) -> None:
    the_rules, members, attendees, items = meeting
    result = meeting_quorum(the_rules, members, attendees, items)
    assert 0 <= result.present <= result.members == len(members)
    for item in result.items:
        assert 0 <= item.present <= result.present
        assert item.quorate == (item.present >= item.needed and not item.missing)
    assert result.quorate == all(item.quorate for item in result.items)
    assert set(result.lost_at()) == {item.number for item in result.items if not item.quorate}


@settings(max_examples=200)
@given(members=st.integers(min_value=0, max_value=10_000), fraction=st.sampled_from(FRACTIONS))
def test_needed_is_the_least_whole_number_at_or_above_the_fraction(
    members: int, fraction: Fraction
) -> None:
    assert needed_for(members, Fraction(1, 2)) * 2 >= members
    needed = needed_for(members, fraction)
    assert members * fraction <= needed < members * fraction + 1
