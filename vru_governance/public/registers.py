"""A body's public registers: attendance, the register of interests, the forward plan, the
action log, and how to contact the secretariat. Thin views over the data apps' queries."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from actions.published import STATUS_FILTERS, action_log
from meetings.attendance_table import attendance_year, attendance_years
from meetings.registers import forward_plan, register_of_interests
from reports.published import body_or_404
from vru_governance.public.meetings import _year

ACTIONS_PER_PAGE = 50


def attendance(request: HttpRequest, body_slug: str) -> HttpResponse:
    """Board-wide attendance for a year: per meeting, per seat, per organisation, per member."""
    body = body_or_404(body_slug)
    years = attendance_years(request.user, body)
    year = _year(request, years)
    context = {"body": body, "report": attendance_year(request.user, body, year, years)}
    return render(request, "public/attendance.html", context)


def interests(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The register of interests of the members serving today (ToR 4.4)."""
    body = body_or_404(body_slug)
    today = timezone.localdate()
    context = {
        "body": body,
        "today": today,
        "members": register_of_interests(request.user, body, today),
    }
    return render(request, "public/interests.html", context)


def plan(request: HttpRequest, body_slug: str) -> HttpResponse:
    """Future meetings and the business planned for them."""
    body = body_or_404(body_slug)
    context = {"body": body, "plan": forward_plan(request.user, body, timezone.localdate())}
    return render(request, "public/forward_plan.html", context)


def actions(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The action log in HTML: open actions by default, or closed, or all; paginated."""
    body = body_or_404(body_slug)
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    page = Paginator(action_log(request.user, body, status), ACTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "body": body,
        "page": page,
        "status": status,
        "status_label": STATUS_FILTERS[status],
        "filters": STATUS_FILTERS,
        "today": timezone.localdate(),
    }
    return render(request, "public/actions.html", context)


def contact(request: HttpRequest, body_slug: str) -> HttpResponse:
    """How to reach the board's secretariat (the CONTACT_EMAIL setting)."""
    body = body_or_404(body_slug)
    return render(
        request, "public/contact.html", {"body": body, "contact_email": settings.CONTACT_EMAIL}
    )
