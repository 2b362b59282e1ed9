"""The tests' one world: bodies, people and appointments built in code (a body with the
interim ToR's seat plan, a full roster), and the cast every test of the screens signs in as.

The cast, on top of records already loaded (the demo's, or the hostile ones): the demo
board's secretary (Amy) and partner (Jake Ferguson's user), a partner of another body and a
secretary of another body; the public is no user at all. The public site's, the fuzz, the
hostile and the permission worlds add their records to this cast, never users of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from members.models import Appointment, Body, Person, QuorumGroup, Seat, TermsOfReference
from tests.demo import load_demo
from vru_governance.accounts.users import ensure_groups

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


# Every member of the cast signs in with this password (the browser tests type it).
PASSWORD = "pw-for-tests-only"


@dataclass(frozen=True)
class Cast:
    """Who signs in: the public is no user (None)."""

    body: Body  # the demo board, "prg"
    secretary: User  # Amy Gelsthorpe-Hill, a secretary of body
    partner: User  # Jake Ferguson's user, a member of body
    other: Body  # another body, "other"
    outsider: User  # a partner of the other body only (Outsider Person, its chair)
    other_secretary: User  # a secretary of the other body only


def account(username: str, **extra: object) -> User:
    """A user who may sign in with PASSWORD (no email: mail goes to the people's addresses)."""
    return User.objects.create_user(username, password=PASSWORD, **extra)


def new_body_with_secretary(
    slug: str = "new", name: str = "New Partnership Board", username: str = "new-secretary"
) -> tuple[Body, User]:
    """A body with no terms of reference yet, and a secretary of it (in the secretariat)."""
    secretariat, _ = ensure_groups()
    body = Body.objects.create(slug=slug, name=name)
    secretary = account(username)
    secretary.groups.add(secretariat)
    body.secretaries.add(secretary)
    return body, secretary


def build_cast(body_slug: str = "prg", partner_key: str = "jake-ferguson") -> Cast:
    """The cast on top of the records loaded, which hold body_slug and the person partner_key."""
    secretariat, partners = ensure_groups()
    body = Body.objects.get(slug=body_slug)
    secretary = account("secretary", first_name="Amy", last_name="Gelsthorpe-Hill")
    secretary.groups.add(secretariat)
    body.secretaries.add(secretary)
    partner = account("partner", first_name="Jake", last_name="Ferguson")
    partner.groups.add(partners)
    Person.objects.filter(key=partner_key).update(user=partner)

    other, _ = make_body("other", effective_from=D(2019, 1, 1))
    other.name = "Other Partnership Board"
    other.save()
    appoint(other, "outsider-person", "chair", D(2019, 1, 1), check=False)
    outsider = account("outsider")
    outsider.groups.add(partners)
    Person.objects.filter(key="outsider-person").update(user=outsider)
    other_secretary = account("other-secretary")
    other_secretary.groups.add(secretariat)
    other.secretaries.add(other_secretary)
    return Cast(body, secretary, partner, other, outsider, other_secretary)


class CastMixin:
    """TestCase mixin: cast_on_the_records() (from setUpTestData) puts the cast on the class."""

    body: Body
    secretary: User
    partner: User
    other: Body
    outsider: User
    other_secretary: User

    @classmethod
    def cast_on_the_records(cls, **where: str) -> Cast:
        cast = build_cast(**where)
        for name in Cast.__dataclass_fields__:
            if callable(getattr(cls, name, None)):  # a method of the test class of that name
                raise TypeError(f"{cls.__name__}.{name} would hide the cast's {name}")
            setattr(cls, name, getattr(cast, name))
        return cast

    def client_for(self, user: User | None) -> Client:
        """A client signed in as user; the public's (signed out) for None."""
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


class DemoWorld(CastMixin):
    """TestCase mixin: the demo records and the cast; build_world() from setUpTestData."""

    @classmethod
    def build_world(cls) -> None:
        load_demo()
        cls.cast_on_the_records()
        person("unattached-person", "Unattached Person")

    @classmethod
    def add_second_secretary(cls) -> None:
        """Bob, a second secretary of the same board, for the two-editor (conflict) tests."""
        secretariat, _ = ensure_groups()
        cls.second = account("second-secretary", first_name="Bob")
        cls.second.groups.add(secretariat)
        cls.body.secretaries.add(cls.second)
