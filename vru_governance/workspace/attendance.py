"""The secretary's workspace: the attendance page and its quorum panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from meetings import lifecycle
from meetings.models import AgendaItem, Attendance, Declaration, Meeting
from meetings.services import attendance as services
from meetings.services import meeting as services_meeting
from members.models import Appointment, Body, Person
from vru_governance.rules.versions import EditConflict
from vru_governance.workspace.base import (
    conflict_status,
    meeting_of,
    posted_version,
    refused,
    workspace_post_view,
    workspace_view,
)
from vru_governance.workspace.forms.attendance import (
    AttendeeForm,
    ContactOfficerForm,
    MemberAttendanceForm,
    OtherAttendeeForm,
)
from vru_governance.workspace.forms.meetings import VersionForm


@dataclass
class _Records:
    """What the page shows and computes quorum from, each loaded once."""

    items: list[AgendaItem]  # with their declarations (who withdrew counts for quorum)
    appointments: list[Appointment]  # on the meeting date, with the person
    attendance: list[Attendance]  # with the people and items each record names


def _records(meeting: Meeting) -> _Records:
    # Ordered within the meeting: the models' default orderings start with the meeting, which
    # joins the meeting and the body (and each named item's) only to sort by them.
    items = list(
        meeting.items.order_by("position", "pk").prefetch_related(
            Prefetch("declarations", queryset=Declaration.objects.order_by("pk"))
        )
    )
    return _Records(
        items=items,
        appointments=list(
            meeting.body.appointments_on(meeting.date)
            .select_related("person")
            .order_by("start", "person__name")
        ),
        attendance=_with_items(
            list(
                meeting.attendance.select_related("person", "on_behalf_of").order_by(
                    "position", "pk"
                )
            ),
            items,
        ),
    )


def _with_items(attendance: list[Attendance], items: list[AgendaItem]) -> list[Attendance]:
    """Each record's arrival and departure set from the meeting's items already loaded (an
    attendance names only items of its own meeting, Attendance.clean): two joins of the
    items' long texts fewer for the page."""
    by_pk = {i.pk: i for i in items}
    for a in attendance:
        for field in ("from_item", "to_item"):
            item_id = getattr(a, f"{field}_id")
            if item_id in by_pk:
                setattr(a, field, by_pk[item_id])
    return attendance


def _rows(meeting: Meeting, loaded: _Records, data: Any = None) -> list[dict[str, Any]]:
    """One form per member with an active appointment on the meeting date."""
    terms = meeting.terms()
    seats = terms.seat_by_key() if terms else {}
    appointments = sorted(
        loaded.appointments,
        key=lambda a: (seats[a.seat_key].position if a.seat_key in seats else 999, a.person.name),
    )
    # The person too: each member's row names their substitutes.
    records = {a.person_id: a for a in loaded.attendance}
    form_class = MemberAttendanceForm.for_items(loaded.items)
    # The seat's sector as the grid names it (or the seat's key): once for each seat.
    sectors = {key: seat.get_sector_display() for key, seat in seats.items()}
    rows = []
    for appt in appointments:
        record = records.get(appt.person_id)
        substitutes = [r for r in records.values() if r.on_behalf_of_id == appt.person_id]
        own = record if record is None or record.capacity in ("member", "apologies") else None
        form = form_class(
            data,
            prefix=f"m{appt.person_id}",
            initial={
                "state": services.member_state(own),
                "from_item": own.from_item if own else None,
                "to_item": own.to_item if own else None,
            },
        )
        rows.append(
            {
                "appointment": appt,
                "name": appt.person.name,
                "sector": sectors.get(appt.seat_key) or appt.seat_key,
                "form": form,
                "record": record,
                "own": own,
                "substitutes": substitutes,
                "seat": seats.get(appt.seat_key),
            }
        )
    return rows


def _row_errors(rows: list[dict[str, Any]]) -> list[str]:
    """The member rows' errors, each naming the member and the field, for the summary."""
    found = []
    for row in rows:
        form = row["form"]
        if not form.is_bound or form.is_valid():
            continue
        name = row["appointment"].person.name
        for field, errors in form.errors.items():
            found += [f"{name}: {form[field].label}: {error}" for error in errors]
    return found


def _state(
    state: str, from_item: AgendaItem | int | None, to_item: AgendaItem | int | None
) -> tuple[str, int | None, int | None]:
    """A member row as compared for a conflict: arrivals and departures only when present."""
    if state not in (services.PRESENT, services.REMOTE):
        return (state, None, None)

    def pk(item: AgendaItem | int | None) -> int | None:
        return item.pk if isinstance(item, AgendaItem) else item

    return (state, pk(from_item), pk(to_item))


def _saved_now(rows: list[dict[str, Any]], items: list[AgendaItem]) -> list[str]:
    """The members whose saved record differs from what was sent, as saved now: shown beside
    the choices kept after someone else saved the attendance first."""
    labels = dict(services.MEMBER_STATES)
    numbers = {i.pk: i.number for i in items}
    found = []
    for row in rows:
        form, own = row["form"], row["own"]
        if not form.is_valid() or (own is None and row["record"] is not None):
            continue  # recorded as a substitute or in attendance: the table below shows it
        saved = _state(
            services.member_state(own),
            own.from_item_id if own else None,
            own.to_item_id if own else None,
        )
        sent = form.cleaned_data
        if saved == _state(sent["state"], sent["from_item"], sent["to_item"]):
            continue
        text = labels[saved[0]]
        if saved[1]:
            text += f", arrived at item {numbers.get(saved[1], '?')}"
        if saved[2]:
            text += f", left after item {numbers.get(saved[2], '?')}"
        found.append(f"{row['appointment'].person.name}: {text}")
    return found


EXTRA_ROWS = 5  # blank rows for new substitutes and people in attendance, several at once


def _members_by_name(rows: list[dict[str, Any]]) -> dict[str, Person]:
    """The members on the meeting date by name as typed on a substitute's row."""
    people = (r["appointment"].person for r in rows)
    return {" ".join(p.name.split()).lower(): p for p in people}


def _other_forms(
    meeting: Meeting, rows: list[dict[str, Any]], loaded: _Records, data: Any = None
) -> list[OtherAttendeeForm]:
    """The grid's rows for substitutes and people in attendance: one per record, then blank
    rows for new people (a blank row left blank is not a change)."""
    members = _members_by_name(rows)
    forms = [
        OtherAttendeeForm(
            data,
            prefix=f"o{a.pk}",
            members=members,
            items=loaded.items,
            record=a,
            initial={
                "on_behalf_of": a.on_behalf_of.name if a.on_behalf_of else "",
                "remote": a.remote,
                "from_item": a.from_item,
                "to_item": a.to_item,
            },
        )
        for a in loaded.attendance
        if a.capacity in ("substitute", "in_attendance")
    ]
    forms += [
        OtherAttendeeForm(
            data,
            prefix=f"n{i}",
            members=members,
            items=loaded.items,
            empty_permitted=True,
            use_required_attribute=False,
        )
        for i in range(EXTRA_ROWS)
    ]
    return forms


def _other_errors(others: list[OtherAttendeeForm]) -> list[str]:
    """The errors of the substitutes' and new people's rows, each naming its row."""
    found = []
    blank = 0
    for form in others:
        if form.record is None:
            blank += 1
        if not form.is_bound or form.is_valid():
            continue
        who = form.record.person.name if form.record else f"New person {blank}"
        for field, errors in form.errors.items():
            label = f"{form[field].label}: " if field in form.fields else ""
            found += [f"{who}: {label}{error}" for error in errors]
    return found


# How many of the body's latest meetings the names offered on a new row come from.
RECENT_MEETINGS = 30


def _people_names(meeting: Meeting) -> list[str]:
    """Names to offer on a new row: those who came to the body's last meetings up to this
    one as a substitute or in attendance (one list for the page). Read through the index of
    those meetings' attendance, so the time does not grow with the body's years of records."""
    recent = (
        Meeting.objects.filter(body_id=meeting.body_id, date__lte=meeting.date)
        .order_by("-date")
        .values("pk")[:RECENT_MEETINGS]
    )
    people = Attendance.objects.filter(
        meeting__in=recent, capacity__in=["substitute", "in_attendance"]
    ).values("person_id")
    return list(
        Person.objects.filter(pk__in=people)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[:200]
    )


def _context(
    meeting: Meeting, rows: list, others: list[OtherAttendeeForm], loaded: _Records
) -> dict[str, Any]:
    panel = services.quorum_panel(
        meeting,
        items=loaded.items,
        appointments=loaded.appointments,
        attendance=loaded.attendance,
    )
    locked = bool(lifecycle.locks_for(Attendance, meeting.status).fields)
    return {
        "body": meeting.body,
        "meeting": meeting,
        "rows": rows,
        "others": others,
        "recorded_others": [o for o in others if o.record is not None],
        "new_others": [o for o in others if o.record is None],
        "items": loaded.items,
        "people_names": [] if locked else _people_names(meeting),
        "panel": panel,
        "row_errors": _row_errors(rows) + _other_errors(others),
        "locked": locked,
    }


@workspace_view
def attendance(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """The attendance grid: every member present, remote, apologies or absent; substitutes
    and people in attendance; arrivals and departures only where they differ from the whole
    meeting. One form, one save."""
    meeting = meeting_of(body, key)
    if request.method == "POST" and "contact" in request.POST:
        return _contact_officer(request, meeting)
    loaded = _records(meeting)
    items = loaded.items
    data = request.POST if request.method == "POST" else None
    rows = _rows(meeting, loaded, data)
    others = _other_forms(meeting, rows, loaded, data)
    grid = VersionForm(data, initial={"version": meeting.attendance_version})
    refusals: list[str] = []
    conflict = None
    saved_now: list[str] = []
    if request.method == "POST":
        valid = [grid.is_valid()] + [r["form"].is_valid() for r in rows]
        valid += [o.is_valid() for o in others]
        if all(valid):
            try:
                services.record_grid(
                    meeting,
                    members=[
                        services.MemberRow(
                            person_id=r["appointment"].person_id,
                            state=r["form"].cleaned_data["state"],
                            from_item=r["form"].cleaned_data["from_item"],
                            to_item=r["form"].cleaned_data["to_item"],
                        )
                        for r in rows
                    ],
                    others=[o.row() for o in others if o.record is not None or o.has_changed()],
                    version=grid.cleaned_data["version"],
                )
            except EditConflict as exc:
                conflict = refused(grid, exc)
            except ValidationError as exc:
                refusals = exc.messages
            else:
                messages.success(request, "Attendance saved.")
                return redirect("workspace:attendance", body=body.slug, key=meeting.key)
    if conflict is not None:
        meeting.refresh_from_db()
        saved_now = _saved_now(rows, items)
    context = _context(meeting, rows, others, loaded)
    context["row_errors"] += refusals
    context.update(grid=grid, conflict=conflict, saved_now=saved_now)
    if "contact_form" not in context:
        context["contact_form"] = _contact_form(meeting)
    return render(
        request,
        "workspace/meetings/attendance.html",
        context,
        status=conflict_status(conflict),
    )


def _contact_form(meeting: Meeting, data: Any = None) -> ContactOfficerForm:
    return ContactOfficerForm(
        data,
        meeting=meeting,
        prefix="contact",
        initial={"contact_officer": meeting.contact_officer_id, "version": meeting.version},
    )


def _contact_officer(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Name the clerk on the day; a refusal shows the attendance page with the form's errors."""
    form = _contact_form(meeting, request.POST)
    conflict = None
    if form.is_valid():
        try:
            services_meeting.set_contact_officer(
                meeting,
                person=form.cleaned_data["contact_officer"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, "The clerk on the day is saved.")
            return redirect("workspace:attendance", body=meeting.body.slug, key=meeting.key)
    if conflict is not None:
        meeting.refresh_from_db()
    loaded = _records(meeting)
    rows = _rows(meeting, loaded)
    context = _context(meeting, rows, _other_forms(meeting, rows, loaded), loaded)
    context.update(
        grid=VersionForm(initial={"version": meeting.attendance_version}),
        conflict=conflict,
        contact_form=form,
    )
    return render(
        request,
        "workspace/meetings/attendance.html",
        context,
        status=conflict_status(conflict),
    )


def _attendee_form(
    meeting: Meeting, rows: list, items: list, data: Any, instance: Attendance
) -> AttendeeForm:
    members = [r["appointment"].person for r in rows]
    return AttendeeForm(
        data,
        meeting=meeting,
        members=members,
        items=items,
        instance=instance,
        prefix="attendee",
        initial={"version": meeting.attendance_version},
    )


@workspace_view
def attendee_edit(request: HttpRequest, body: Body, key: str, pk: int) -> HttpResponse:
    """Change a substitute or a person in attendance on a page of its own (the grid changes
    them too): the page shows the other secretary's saved record beside a refused change."""
    meeting = meeting_of(body, key)
    loaded = _records(meeting)
    instance = get_object_or_404(
        meeting.attendance.exclude(capacity__in=["member", "apologies"]), pk=pk
    )
    rows = _rows(meeting, loaded)
    form = _attendee_form(meeting, rows, loaded.items, request.POST or None, instance)
    conflict = None
    if request.method == "POST" and form.is_valid():
        record = form.instance
        try:
            services.save_attendee(record, version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(
                request, f"{record.person} recorded ({record.get_capacity_display().lower()})."
            )
            return redirect("workspace:attendance", body=body.slug, key=meeting.key)
    # The form changed the instance it was given: the page shows the record as saved.
    saved = meeting.attendance.filter(pk=instance.pk).select_related(
        "person", "on_behalf_of", "from_item", "to_item"
    )
    return render(
        request,
        "workspace/meetings/attendee.html",
        {
            "body": body,
            "meeting": meeting,
            "form": form,
            "record": saved.first() or instance,
            "conflict": conflict,
        },
        status=conflict_status(conflict),
    )


@workspace_post_view
def attendee_remove(request: HttpRequest, body: Body, key: str, pk: int) -> HttpResponse:
    meeting = meeting_of(body, key)
    record = meeting.attendance.filter(pk=pk).select_related("person").first()
    if record is None:
        # Most often removed by the other secretary a moment before: nothing is left to do.
        messages.info(request, "That person was already removed from the attendance.")
        return redirect("workspace:attendance", body=body.slug, key=meeting.key)
    if record.capacity in ("member", "apologies"):
        raise Http404("Members are recorded on the member rows.")
    try:
        services.remove_attendee(record, version=posted_version(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{record.person} removed from the attendance.")
    return redirect("workspace:attendance", body=body.slug, key=meeting.key)
