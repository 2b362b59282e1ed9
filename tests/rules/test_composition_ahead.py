"""The composition ahead (issue 18, capability 3): the community share on every date of the
coming months as appointments end and start, computed from plain inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from vru_governance.rules.composition import (
    COMMUNITY,
    Term,
    composition_ahead,
    first_shortfall,
)

D = dt.date
TODAY = D(2026, 12, 7)
YEAR_ON = D(2027, 12, 7)
MIN = Decimal("0.30")


def test_an_ending_community_appointment_drops_the_share_the_day_after_it_ends() -> None:
    terms = [Term(COMMUNITY, D(2020, 1, 1), D(2027, 3, 31))] + [
        Term("health", D(2020, 1, 1)) for _ in range(2)
    ]
    steps = composition_ahead(terms, start=TODAY, end=YEAR_ON, minimum=MIN)
    assert [(s.start, s.end, s.composition.community) for s in steps] == [
        (TODAY, D(2027, 3, 31), 1),
        (D(2027, 4, 1), YEAR_ON, 0),
    ]
    assert first_shortfall(steps).start == D(2027, 4, 1)


def test_a_like_for_like_successor_starting_the_next_day_is_no_change() -> None:
    terms = [
        Term(COMMUNITY, D(2020, 1, 1), D(2027, 3, 31)),
        Term(COMMUNITY, D(2027, 4, 1)),
        Term("police", D(2020, 1, 1)),
    ]
    steps = composition_ahead(terms, start=TODAY, end=YEAR_ON, minimum=MIN)
    assert len(steps) == 1 and steps[0].composition.percent == 50
    assert first_shortfall(steps) is None


def test_appointments_outside_the_period_do_not_count() -> None:
    terms = [Term(COMMUNITY, D(2019, 1, 1), D(2020, 1, 1)), Term(COMMUNITY, D(2028, 1, 1))]
    steps = composition_ahead(terms, start=TODAY, end=YEAR_ON, minimum=MIN)
    assert [s.composition.members for s in steps] == [0]


dates = st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 12, 31))


@st.composite
def appointment_terms(draw: st.DrawFn) -> Term:
    start = draw(dates)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=D(2028, 12, 31))))
    return Term(draw(st.sampled_from([COMMUNITY, "health", "police"])), start, end)


@settings(max_examples=60, deadline=None)
@given(st.lists(appointment_terms(), max_size=12))
def test_steps_cover_every_date_once_and_match_a_count_on_each_day(terms: list[Term]) -> None:
    steps = composition_ahead(terms, start=TODAY, end=YEAR_ON, minimum=MIN)
    assert steps[0].start == TODAY and steps[-1].end == YEAR_ON
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
        assert after.composition != before.composition  # a step is a real change
    for step in steps:
        day = step.start
        while day <= step.end:
            active = [t for t in terms if t.active_on(day)]
            assert step.composition.members == len(active)
            assert step.composition.community == sum(t.sector == COMMUNITY for t in active)
            day += dt.timedelta(days=29)  # (every day is slow; steps are checked at both ends)
        assert (
            step.composition
            == composition_ahead(terms, start=step.end, end=step.end, minimum=MIN)[0].composition
        )


@settings(max_examples=60, deadline=None)
@given(st.lists(appointment_terms(), max_size=12))
def test_the_first_shortfall_is_the_earliest_date_below_the_minimum(terms: list[Term]) -> None:
    steps = composition_ahead(terms, start=TODAY, end=YEAR_ON, minimum=MIN)
    first = first_shortfall(steps)
    below = [s for s in steps if not s.composition.meets_minimum]
    assert first == (below[0] if below else None)
    if first is not None:
        assert all(s.composition.meets_minimum for s in steps if s.start < first.start)
