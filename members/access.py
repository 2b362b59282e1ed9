"""Who may see what: the public, partners of a body, and its secretaries.

One place for the rules so that every page, document, feed and API obeys the same ones.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from members.models import Body

AnyUser = User | AnonymousUser


def is_secretary(user: AnyUser, body: Body) -> bool:
    """Secretaries act for the bodies they are secretary of (superusers for all)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = _cache(user, "_secretary_of")
    if body.pk not in cache:
        cache[body.pk] = body.secretaries.filter(pk=user.pk).exists()
    return cache[body.pk]


def is_partner(user: AnyUser, body: Body, on: dt.date | None = None) -> bool:
    """A partner is a signed-in person with an appointment to the body active today."""
    if not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    on = on or dt.date.today()
    cache = _cache(user, "_partner_of")
    key = (body.pk, on)
    if key not in cache:
        cache[key] = body.appointments.active_on(on).filter(person=person).exists()
    return cache[key]


def can_see_body_records(user: AnyUser, body: Body) -> bool:
    """Partner-only records of a body (exempt papers, circulated drafts)."""
    return is_secretary(user, body) or is_partner(user, body)


def can_see_agenda(user: AnyUser, meeting) -> bool:  # noqa: ANN001 — a meetings.Meeting
    if is_secretary(user, meeting.body):
        return True
    return meeting.agenda_is_public


def can_see_minutes(user: AnyUser, meeting) -> bool:  # noqa: ANN001
    """The public reads published minutes; partners also circulated and approved drafts."""
    if is_secretary(user, meeting.body):
        return True
    if meeting.minutes_are_public:
        return True
    circulated = meeting.stage() >= meeting.ORDER.index(meeting.Status.MINUTES_CIRCULATED)
    return circulated and is_partner(user, meeting.body)


def can_see_paper(user: AnyUser, paper) -> bool:  # noqa: ANN001 — a reports.Paper
    meeting = paper.item.meeting
    if not can_see_agenda(user, meeting):
        return False
    if paper.is_exempt:
        return can_see_body_records(user, meeting.body)
    return True


def meeting_for(user: AnyUser, body_slug: str, key: str):  # noqa: ANN201
    """The meeting through its body, or 404 for anyone who may not see its agenda."""
    from meetings.models import Meeting

    meeting = Meeting.objects.select_related("body").filter(body__slug=body_slug, key=key).first()
    if meeting is None or not can_see_agenda(user, meeting):
        raise Http404("No such meeting.")
    return meeting


def _cache(user: AnyUser, name: str) -> dict:
    if not hasattr(user, name):
        setattr(user, name, {})
    return getattr(user, name)
