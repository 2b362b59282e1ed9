"""The secretary's workspace: the bodies they serve, each body's roster and composition, and
appointments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from members import services
from members.appointment_reminders import REMIND_AHEAD
from members.forecast import forecast
from members.models import Appointment, Body, Person
from vru_governance.workspace.base import (
    form_errors,
    secretary_bodies,
    workspace_login_required,
    workspace_view,
)
from vru_governance.workspace.composition_chart import chart
from vru_governance.workspace.forms.members import (
    AppointForm,
    CorrectAppointmentForm,
    EndAppointmentForm,
    RosterDateForm,
)
from vru_governance.workspace.history import history_entries


@workspace_login_required
def index(request: HttpRequest) -> HttpResponse:
    """The bodies this secretary serves."""
    bodies = secretary_bodies(request)
    today = dt.date.today()
    rows = [(b, b.composition_on(today)) for b in bodies]
    return render(request, "workspace/index.html", {"rows": rows})


@workspace_view
def roster(request: HttpRequest, body: Body) -> HttpResponse:
    """The roster by seat (vacant seats shown), the ToR in force and the composition panel."""
    date_form = RosterDateForm(request.GET or None)
    on = date_form.date()
    context = {
        "body": body,
        "roster": services.roster_on(body, on),
        "date_form": date_form,
        "ended": body.appointments.filter(end__lt=on).select_related("person").order_by("-end"),
        "future": body.appointments.filter(start__gt=on).select_related("person"),
        "terms": body.terms.order_by("-effective_from"),
        "ahead": _ahead(body),
        # Appointments ending by then are flagged (the secretaries are e-mailed about them).
        "ending_by": timezone.localdate() + REMIND_AHEAD,
    }
    return render(request, "workspace/members/roster.html", context)


def _ahead(body: Body) -> dict | None:
    """The composition over the next twelve months from today, with its chart."""
    ahead = forecast(body, today=timezone.localdate())
    return {"forecast": ahead, "chart": chart(ahead)} if ahead else None


@workspace_view
def appoint(request: HttpRequest, body: Body) -> HttpResponse:
    """Appoint a person to a seat of the ToR in force on the first day (the address may give
    the first day: ?start=2018-05-01, as the roster of that date does)."""
    start = request.GET.get("start", "")
    # ?person=<key>: a person of another board, offered from the namesakes a new person's
    # name matched (forms/members.py), appointed here too rather than recorded twice.
    also = (
        Person.objects.filter(key=request.GET["person"]).first()
        if "person" in request.GET
        else None
    )
    initial: dict[str, Any] = {"start": start} if start else {}
    if also is not None:
        initial["person"] = also.pk
    if "show_seats" in request.POST:
        # Only the seat list is re-read, for the typed first day: what was typed stays as
        # typed, and nothing is judged yet (no "required" errors for fields still empty).
        form = AppointForm(body=body, also=also, initial=request.POST.dict())
    else:
        form = AppointForm(request.POST or None, body=body, also=also, initial=initial)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            appt = services.appoint(
                body,
                person=form.cleaned_data["person"],
                seat_key=form.cleaned_data["seat_key"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                exception=form.cleaned_data["exception"],
                honorific=form.cleaned_data["honorific"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{appt.person} appointed from {appt.start:%-d %B %Y}.")
            return redirect("workspace:roster", body=body.slug)
    return render(request, "workspace/members/appoint.html", {"body": body, "form": form})


@workspace_view
def end_appointment(request: HttpRequest, body: Body, pk: int) -> HttpResponse:
    """End an appointment, or correct its dates, honorific and role with a reason."""
    appt = get_object_or_404(body.appointments.select_related("person"), pk=pk)
    services.label_seats(body, [appt])  # the seat as the ToR of its first day names it
    correcting = request.method == "POST" and "reason" in request.POST
    form = EndAppointmentForm(
        request.POST if request.method == "POST" and not correcting else None,
        initial={"end": dt.date.today()},
    )
    correction = CorrectAppointmentForm(
        request.POST if correcting else None,
        initial={
            "start": appt.start,
            "end": appt.end,
            "honorific": appt.honorific,
            "role": appt.role,
        },
    )
    if correcting and correction.is_valid():
        try:
            services.correct_appointment(appt, **correction.cleaned_data)
        except ValidationError as exc:
            form_errors(correction, exc)
        else:
            messages.success(request, f"{appt.person}'s appointment corrected.")
            return redirect("workspace:roster", body=body.slug)
    if request.method == "POST" and not correcting and form.is_valid():
        try:
            services.end_appointment(appt, end=form.cleaned_data["end"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{appt.person}'s appointment ends on {appt.end:%-d %B %Y}.")
            return redirect("workspace:roster", body=body.slug)
    history = history_entries([Appointment.history.filter(id=appt.pk)])
    return render(
        request,
        "workspace/members/end_appointment.html",
        {
            "body": body,
            "appointment": appt,
            "form": form,
            "correction": correction,
            "history": history,
        },
    )
