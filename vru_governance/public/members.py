"""Public pages about bodies: home, members, attendance records, terms of reference."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meetings.attendance_record import attendance_record
from members.models import Body, TermsOfReference
from members.published import (
    Membership,
    demote_headings,
    published_terms,
    roster,
    seat_of,
    terms_on,
)
from reports.markdown import render_markdown
from reports.published import (
    body_or_404,
    inaccessible_papers,
    meetings_visible_to,
    only_visible,
    paper_url,
    publications,
)


def home(request: HttpRequest) -> HttpResponse:
    """The list of bodies, or the only body's home page when there is one."""
    bodies = list(Body.objects.order_by("name"))
    if len(bodies) == 1:
        return _body_home(request, bodies[0])
    return render(request, "public/home.html", {"bodies": bodies})


def body_home(request: HttpRequest, body_slug: str) -> HttpResponse:
    return _body_home(request, body_or_404(body_slug))


def _body_home(request: HttpRequest, body: Body) -> HttpResponse:
    today = timezone.localdate()
    upcoming = meetings_visible_to(request.user, body).filter(date__gte=today)
    next_meeting = next(iter(only_visible(request.user, list(upcoming.order_by("date")[:1]))), None)
    versions = list(published_terms(body))
    context = {
        "body": body,
        "next_meeting": next_meeting,
        "terms": terms_on(versions, today),
        "publications": publications(body, meetings=6)[:12],
    }
    return render(request, "public/body_home.html", context)


def member_list(request: HttpRequest, body_slug: str) -> HttpResponse:
    body = body_or_404(body_slug)
    today = timezone.localdate()
    versions = list(published_terms(body))
    members = roster(body, versions, today)
    terms = terms_on(versions, today)
    composition = terms.composition_of([m.appointment for m in members.serving]) if terms else None
    context = {
        "body": body,
        "roster": members,
        "terms": terms,
        "composition": composition,
        "today": today,
    }
    return render(request, "public/members.html", context)


def member_detail(request: HttpRequest, body_slug: str, person_key: str) -> HttpResponse:
    """A member's appointments and attendance record; 404 for anyone never appointed."""
    body = body_or_404(body_slug)
    appointments = list(
        body.appointments.filter(person__key=person_key).select_related("person").order_by("start")
    )
    if not appointments:
        raise Http404("No such member.")
    person = appointments[0].person
    today = timezone.localdate()
    versions = list(published_terms(body))
    context = {
        "body": body,
        "person": person,
        "memberships": [Membership(a, seat_of(versions, a, today)) for a in appointments],
        "serving": any(a.is_active_on(today) for a in appointments),
        "record": attendance_record(request.user, body, person, appointments),
    }
    return render(request, "public/member.html", context)


def terms_list(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The terms of reference in force, with the earlier versions listed."""
    body = body_or_404(body_slug)
    versions = list(published_terms(body))
    terms = terms_on(versions, timezone.localdate())
    return _terms_page(request, body, terms, versions, in_force=terms)


def terms_detail(request: HttpRequest, body_slug: str, version: str) -> HttpResponse:
    body = body_or_404(body_slug)
    versions = list(published_terms(body))
    terms = next((t for t in versions if t.version == version), None)
    if terms is None:
        raise Http404("No such published version.")
    return _terms_page(
        request, body, terms, versions, in_force=terms_on(versions, timezone.localdate())
    )


def _terms_page(
    request: HttpRequest,
    body: Body,
    terms: TermsOfReference | None,
    versions: list[TermsOfReference],
    in_force: TermsOfReference | None,
) -> HttpResponse:
    seats = [(seat, terms.seat_capacity(seat)) for seat in terms.seat_list()] if terms else []
    context = {
        "body": body,
        "terms": terms,
        "in_force": in_force,
        "versions": versions,
        "seats": seats,
        "total_seats": sum(n for _, n in seats),
        "text": render_markdown(demote_headings(terms.text)) if terms else "",
    }
    return render(request, "public/terms.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, in the form UK public-sector sites publish."""
    papers = [
        {
            "paper": p,
            "url": paper_url(p.item.meeting, p),
            "problems": p.accessibility_problems(short=True),
        }
        for p in inaccessible_papers()
    ]
    context = {"contact_email": settings.CONTACT_EMAIL, "inaccessible_papers": papers}
    return render(request, "public/accessibility.html", context)
