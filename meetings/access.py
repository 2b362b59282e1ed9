"""Who may see what: the public, partners of a body, and its secretaries.

One place for the rules so that every page, document, feed and API obeys the same ones.
A signed-in session counts only once it has passed the second factor where one is needed
(`second_factor_step`): until then the user sees exactly what the public sees.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.models import AgendaItem, Meeting
from members.models import Appointment, Body

AnyUser = User | AnonymousUser
# The group of the secretariat (vru_governance/accounts/users.py makes it).
SECRETARIAT = "Secretariat"


def has_authenticator(user: AnyUser) -> bool:
    """Whether the user has enrolled an authenticator app (a confirmed device)."""
    if not user.is_authenticated:
        return False
    cache = _cache(user, "_second_factor")
    if "device" not in cache:
        cache["device"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return cache["device"]


def is_secretariat(user: AnyUser) -> bool:
    """Superusers, the Secretariat group and every body's secretaries."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = _cache(user, "_second_factor")
    if "secretariat" not in cache:
        cache["secretariat"] = User.objects.filter(
            Q(groups__name=SECRETARIAT) | Q(secretary_of__isnull=False), pk=user.pk
        ).exists()
    return cache["secretariat"]


def second_factor_step(user: AnyUser) -> str | None:
    """What a signed-in session must do before it counts as signed in: "code" (give a code
    for the user's authenticator), "enrol" (set one up: a secretary when
    OTP_REQUIRED_FOR_SECRETARIAT) or None."""
    if not user.is_authenticated:
        return None
    # django-otp's middleware gives a request's user is_verified(); a user without it did not
    # come through a verified session, so it is not taken as one.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if has_authenticator(user):
        return "code"
    if settings.OTP_REQUIRED_FOR_SECRETARIAT and is_secretariat(user):
        return "enrol"
    return None


def is_signed_in(user: AnyUser) -> bool:
    """Signed in and past the second factor: anyone else sees what the public sees."""
    return user.is_authenticated and second_factor_step(user) is None


def is_secretary(user: AnyUser, body: Body) -> bool:
    """Secretaries act for the bodies they are secretary of (superusers for all)."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    cache = _cache(user, "_secretary_of")
    if body.pk not in cache:
        cache[body.pk] = body.secretaries.filter(pk=user.pk).exists()
    return cache[body.pk]


def body_by_slug(user: AnyUser, slug: str) -> Body | None:
    """The body with this slug, with whether the user is its secretary in the same query
    (kept for is_secretary, which still decides): the workspace asks both on every page."""
    bodies = Body.objects.filter(slug=slug)
    asks = user.is_authenticated and not user.is_superuser
    if asks:
        bodies = bodies.annotate(
            user_is_secretary=Exists(
                Body.secretaries.through.objects.filter(body_id=OuterRef("pk"), user_id=user.pk)
            )
        )
    body = bodies.first()
    if body is not None and asks:
        _cache(user, "_secretary_of")[body.pk] = body.user_is_secretary
    return body


def bodies_with_roles(
    user: AnyUser, bodies: QuerySet[Body], on: dt.date | None = None
) -> list[Body]:
    """The bodies, with whether the user is secretary and partner (on the date) of each from
    the same query (kept for is_secretary and is_partner, which still decide): the partners'
    dashboard asks both of each of the partner's bodies."""
    asks = user.is_authenticated and not user.is_superuser
    person = getattr(user, "person", None) if user.is_authenticated else None
    on = on or dt.date.today()
    if asks:
        bodies = bodies.annotate(
            user_is_secretary=Exists(
                Body.secretaries.through.objects.filter(body_id=OuterRef("pk"), user_id=user.pk)
            )
        )
    if person is not None:
        appointed = Appointment.objects.active_on(on).filter(body_id=OuterRef("pk"), person=person)
        bodies = bodies.annotate(user_is_partner=Exists(appointed))
    found = list(bodies)
    for body in found:
        if asks:
            _cache(user, "_secretary_of")[body.pk] = body.user_is_secretary
        if person is not None:
            _cache(user, "_partner_of")[(body.pk, on)] = body.user_is_partner
    return found


def is_partner(user: AnyUser, body: Body, on: dt.date | None = None) -> bool:
    """A partner is a signed-in person with an appointment to the body active today."""
    if not is_signed_in(user):
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


class PaperLike(Protocol):
    """What access needs of a paper (reports.Paper, which sits a layer above meetings)."""

    item: AgendaItem
    is_exempt: bool


def can_see_agenda(user: AnyUser, meeting: Meeting) -> bool:
    if is_secretary(user, meeting.body):
        return True
    return meeting.agenda_is_public


def can_see_minutes(user: AnyUser, meeting: Meeting) -> bool:
    """The public reads published minutes; partners also circulated and approved drafts."""
    if is_secretary(user, meeting.body):
        return True
    if meeting.minutes_are_public:
        return True
    return meeting.minutes_circulated and is_partner(user, meeting.body)


def can_see_paper(user: AnyUser, paper: PaperLike) -> bool:
    meeting = paper.item.meeting
    if not can_see_agenda(user, meeting):
        return False
    if paper.is_exempt:
        return can_see_body_records(user, meeting.body)
    return True


def meeting_for(user: AnyUser, body_slug: str, key: str) -> Meeting:
    """The meeting through its body, or 404 for anyone who may not see its agenda."""
    meeting = Meeting.objects.select_related("body").filter(body__slug=body_slug, key=key).first()
    if meeting is None or not can_see_agenda(user, meeting):
        raise Http404("No such meeting.")
    return meeting


def meeting_with_previous(user: AnyUser, body_slug: str, key: str) -> Meeting:
    """meeting_for, with Meeting.previous() answered from the same query (one query either
    way): the meeting page asks for the meeting before only when its agenda has a "Minutes of
    last meeting" item, and its query count must not depend on that."""
    target = Meeting.objects.filter(body__slug=body_slug, key=key)
    before = (
        Meeting.objects.filter(body__slug=body_slug, date__lt=Subquery(target.values("date")[:1]))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-date", "-start_time")
        .values("pk")[:1]
    )
    found = list(
        Meeting.objects.select_related("body").filter(
            Q(body__slug=body_slug, key=key) | Q(pk=Subquery(before))
        )
    )
    meeting = next((m for m in found if m.key == key and m.body.slug == body_slug), None)
    if meeting is None or not can_see_agenda(user, meeting):
        raise Http404("No such meeting.")
    previous = next((m for m in found if m is not meeting), None)
    if previous is not None:
        previous.body = meeting.body
    meeting._previous_cache = ((meeting.body_id, meeting.date), previous)
    return meeting


def _cache(user: AnyUser, name: str) -> dict:
    if not hasattr(user, name):
        setattr(user, name, {})
    return getattr(user, name)
