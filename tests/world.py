"""A small world built in code: a body with the interim ToR's seat plan, people, appointments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from members.models import Appointment, Body, Person, QuorumGroup, Seat, TermsOfReference

D = dt.date

# The seat plan of the 2019 interim terms of reference, paragraph 4.2 a)–n).
INTERIM_SEATS = [
    ("chair", "Mayor of London (Chair)", "chair", 1),
    ("deputy-chair", "Deputy Mayor for Policing and Crime (Deputy Chair)", "deputy_chair", 1),
    ("dm-social-integration", "Deputy Mayor for Social Integration", "deputy_mayor", 1),
    ("dm-education", "Deputy Mayor for Education and Childcare", "deputy_mayor", 1),
    ("police", "Assistant Commissioner for Frontline Policing, MPS", "police", 1),
    ("health", "Three senior representatives from the health sector", "health", 3),
    ("education", "One senior representative from the education sector", "education", 1),
    ("scottish-vru", "One senior representative from the Scottish VRU", "scottish_vru", 1),
    ("probation", "One senior representative from the probation service", "probation", 1),
    ("funders", "One senior representative from London Funders", "funders", 1),
    ("london-councils", "Three representatives from London Boroughs", "london_councils", 3),
    ("community", "[30%] representatives from the community", "community", None),
    ("mopac", "Chief Executive of MOPAC", "mopac", 1),
    ("gla", "Chief Officer of the GLA", "gla", 1),
]

QUORUM_GROUPS = [
    ("Chair or Deputy Chair", ["chair", "deputy_chair"], False),
    ("Assistant Commissioner for Frontline Policing, MPS", ["police"], True),
    ("London Councils representative", ["london_councils"], False),
    ("Health representative", ["health"], False),
    ("Community representative", ["community"], False),
]


def make_body(
    slug: str = "prg",
    effective_from: dt.date = D(2019, 1, 22),
    police_representative: bool = True,
    substitutes_count: bool = True,
    remote_counts: bool = True,
    status: str = "endorsed",
) -> tuple[Body, TermsOfReference]:
    body = Body.objects.create(slug=slug, name=f"Board {slug}")
    terms = add_terms(
        body,
        "interim",
        effective_from,
        status=status,
        police_representative=police_representative,
        substitutes_count=substitutes_count,
        remote_counts=remote_counts,
    )
    return body, terms


def add_terms(
    body: Body,
    version: str,
    effective_from: dt.date,
    status: str = "endorsed",
    seats: list[tuple[str, str, str, int | None]] | None = None,
    police_representative: bool = True,
    substitutes_count: bool = True,
    remote_counts: bool = True,
) -> TermsOfReference:
    terms = TermsOfReference.objects.create(
        body=body,
        version=version,
        title=f"Terms {version}",
        status=status,
        effective_from=effective_from,
        community_min_share=Decimal("0.30"),
        substitutes_count=substitutes_count,
        remote_counts=remote_counts,
        meeting_interval_min_days=28,
        meeting_interval_max_days=42,
    )
    Seat.objects.bulk_create(
        Seat(terms=terms, key=k, label=label, sector=sector, count=count, position=i)
        for i, (k, label, sector, count) in enumerate(seats or INTERIM_SEATS)
    )
    QuorumGroup.objects.bulk_create(
        QuorumGroup(
            terms=terms,
            label=label,
            any_of=any_of,
            representative_allowed=(rep and police_representative),
            position=i,
        )
        for i, (label, any_of, rep) in enumerate(QUORUM_GROUPS)
    )
    return terms


def person(key: str, name: str | None = None, role: str = "") -> Person:
    found = Person.objects.filter(key=key).first()
    if found:
        return found
    return Person.objects.create(key=key, name=name or key.replace("-", " ").title(), role=role)


def appoint(
    body: Body,
    key: str,
    seat: str,
    start: dt.date = D(2019, 1, 22),
    end: dt.date | None = None,
    exception: str = "",
    check: bool = True,
) -> Appointment:
    """Appoint through the rules (full_clean) unless check=False (for building a roster)."""
    appt = Appointment(
        body=body, person=person(key), seat_key=seat, start=start, end=end, exception=exception
    )
    if check:
        appt.full_clean()
    appt.save()
    return appt


# A full roster that meets every quorum group: 17 non-community members and 8 community.
FULL_ROSTER = [
    ("chair-person", "chair"),
    ("deputy-chair-person", "deputy-chair"),
    ("dm-si", "dm-social-integration"),
    ("dm-ed", "dm-education"),
    ("police-person", "police"),
    ("health-1", "health"),
    ("health-2", "health"),
    ("health-3", "health"),
    ("education-person", "education"),
    ("scot-person", "scottish-vru"),
    ("probation-person", "probation"),
    ("funders-person", "funders"),
    ("lc-1", "london-councils"),
    ("lc-2", "london-councils"),
    ("lc-3", "london-councils"),
    ("mopac-person", "mopac"),
    ("gla-person", "gla"),
] + [(f"community-{i}", "community") for i in range(1, 9)]


def full_roster(body: Body, start: dt.date = D(2019, 1, 22)) -> list[Appointment]:
    """Appoint the whole roster at once (judged as a whole, so no exception is needed)."""
    return [appoint(body, key, seat, start, check=False) for key, seat in FULL_ROSTER]
