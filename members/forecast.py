"""A body's composition ahead: the community share on every date of the coming year as its
appointments end and start (the pure rule: vru_governance/rules/composition.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from members.models import Body, TermsOfReference
from vru_governance.rules.composition import Step, Term, composition_ahead, first_shortfall

DAYS_AHEAD = 365


@dataclass(frozen=True)
class Forecast:
    """The steps of the composition from today, and the first one below the minimum."""

    start: dt.date
    end: dt.date
    minimum: Decimal
    terms: TermsOfReference
    steps: list[Step]
    shortfall: Step | None


def forecast(body: Body, *, today: dt.date, days: int = DAYS_AHEAD) -> Forecast | None:
    """The body's composition from today for `days` days; None with no ToR in force today.

    Each appointment counts in the sector its seat has under the ToR in force when it starts
    (or today, for one already running); the minimum is today's."""
    terms = body.terms_in_force(today)
    if terms is None:
        return None
    end = today + dt.timedelta(days=days)
    terms_on: dict[dt.date, TermsOfReference | None] = {today: terms}
    inputs = []
    for appointment in body.appointments.overlapping(today, end).order_by("start", "pk"):
        on = max(appointment.start, today)
        if on not in terms_on:
            terms_on[on] = body.terms_in_force(on)
        in_force = terms_on[on] or terms
        sector = in_force.sector_of(appointment.seat_key) or ""
        inputs.append(Term(sector, appointment.start, appointment.end))
    steps = composition_ahead(inputs, start=today, end=end, minimum=terms.community_min_share)
    return Forecast(today, end, terms.community_min_share, terms, steps, first_shortfall(steps))
