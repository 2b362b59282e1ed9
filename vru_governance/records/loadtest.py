"""The pages `make bench` loads on generated records, and the accounts it signs in with.

Shared by the benchmark (bench/run_bench.py) and by the test that keeps each page's query
count the same whatever the size of the records (tests/records/test_scale_data.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, Q

from meetings.models import Meeting
from members.models import Body, Person
from vru_governance.accounts.users import ensure_groups

SECRETARY = "bench-secretary"
PARTNER = "bench-partner"
SEARCH = "knife crime"


@dataclass(frozen=True)
class Page:
    """A page under load: its name, address and who asks for it."""

    name: str
    url: str
    who: str  # "public", "partner" or "secretary"


def first_body() -> Body:
    body = Body.objects.order_by("pk").first()
    if body is None:
        raise LookupError("No body in the database: import the generated records first.")
    return body


def partner_person(body: Body) -> Person:
    """The serving member of the body who owns the most actions (the busiest dashboard)."""
    person = (
        Person.objects.filter(appointments__body=body, appointments__end__isnull=True)
        .annotate(owned=Count("owned_actions", filter=Q(owned_actions__action__meeting__body=body)))
        .order_by("-owned", "key")
        .first()
    )
    if person is None:
        raise LookupError(f"Nobody is serving on {body} today.")
    return person


def make_accounts(password: str) -> tuple[User, User]:
    """A secretary of every body, and a partner signed in as the busiest serving member."""
    secretariat, partners = ensure_groups()
    users = get_user_model()
    secretary, _ = users.objects.get_or_create(username=SECRETARY)
    secretary.set_password(password)
    secretary.save()
    secretary.groups.add(secretariat)
    for body in Body.objects.all():
        body.secretaries.add(secretary)
    partner, _ = users.objects.get_or_create(username=PARTNER)
    partner.set_password(password)
    partner.save()
    partner.groups.add(partners)
    person = partner_person(first_body())
    Person.objects.filter(user=partner).exclude(pk=person.pk).update(user=None)
    person.user = partner
    person.save(update_fields=["user"])
    return secretary, partner


def pages(search: str = SEARCH) -> list[Page]:
    """The measured pages of the first body: its latest meeting with published minutes, that
    year's meetings, a search, the partner's dashboard, and the attendance page and minutes
    editor of its meeting whose minutes are in draft."""
    body = first_body()
    published = (
        body.meetings.filter(status=Meeting.Status.MINUTES_PUBLISHED).order_by("-date").first()
    )
    drafting = body.meetings.filter(status=Meeting.Status.MINUTES_DRAFT).order_by("-date").first()
    if published is None or drafting is None:
        raise LookupError(f"{body} needs a meeting with published and one with draft minutes.")
    workspace = f"/manage/{body.slug}/meetings/{drafting.key}"
    return [
        Page("meeting page", f"/{body.slug}/meetings/{published.key}/", "public"),
        Page("meetings list", f"/{body.slug}/meetings/?year={published.date.year}", "public"),
        Page("search", f"/search/?q={search.replace(' ', '+')}", "public"),
        Page("partner dashboard", "/partners/", "partner"),
        Page("attendance page", f"{workspace}/attendance/", "secretary"),
        Page("minutes editor", f"{workspace}/minutes/", "secretary"),
    ]
