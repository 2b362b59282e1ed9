"""The secretary's workspace: correcting what a published document shows, each change with
its reason (meetings/services/corrections.py issues the new versions). An agenda item, the
attendance of approved minutes, an action the minutes print, and withdrawing a published
paper as exempt. Minute paragraphs, decisions and the meeting's details are corrected on
their own pages (minutes.py, decisions.py, agenda.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from actions import services as action_services
from actions.models import Action, ActionOwner
from meetings.models import Attendance, Meeting
from meetings.services import corrections as services
from meetings.services.minutes import owner_candidates
from members.models import Body, Person
from reports.models import StoredDocument
from reports.papers import withdraw_paper_as_exempt
from vru_governance.workspace.base import (
    conflict_status,
    item_of,
    meeting_of,
    refused,
    workspace_view,
)
from vru_governance.workspace.forms.actions import ActionForm
from vru_governance.workspace.forms.corrections import (
    AttendanceRowForm,
    ItemCorrectionForm,
    ReasonForm,
    WithdrawPaperForm,
)
from vru_governance.workspace.forms.meetings import VersionForm


def _published(meeting: Meeting, *, minutes: bool = False) -> None:
    """Corrections are for published records: 404 for a meeting with nothing to correct."""
    if not (meeting.minutes_locked if minutes else meeting.agenda_is_public):
        raise Http404("Nothing of this kind is published yet: change it on its own page.")


@workspace_view
def item_correct(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    """Correct an item of a published agenda: title, presenter and kind, with the reason."""
    meeting = meeting_of(body, key)
    _published(meeting)
    item = item_of(meeting, number)
    form = ItemCorrectionForm(request.POST or None, initial=ItemCorrectionForm.initial_for(item))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_item(
                item,
                user=request.user,
                minutes_allowed=item.minutes_allowed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(
                request,
                f"Correction of item {item.number} recorded; the published documents are "
                "issued again.",
            )
            return redirect("workspace:item", body=body.slug, key=meeting.key, number=item.number)
    if conflict is not None:
        item.refresh_from_db()
    return render(
        request,
        "workspace/corrections/item.html",
        {"body": body, "meeting": meeting, "item": item, "form": form, "conflict": conflict},
        status=conflict_status(conflict),
    )


NEW_ROWS = 3  # blank rows for people missing from the record


def _attendance_forms(meeting: Meeting, data: Any) -> list[AttendanceRowForm]:
    """A row for each record and blank rows, offering lists loaded once for the page."""
    items = list(meeting.items.all())
    members = list(
        Person.objects.filter(
            pk__in=meeting.body.appointments_on(meeting.date).values("person_id")
        ).order_by("name")
    )
    records = list(
        meeting.attendance.select_related("person", "on_behalf_of", "from_item", "to_item")
    )
    recorded = {r.person_id for r in records}
    # Who may be added: anyone appointed to the body, or who came to its meetings.
    candidates = Person.objects.filter(appointments__body=meeting.body) | Person.objects.filter(
        attendances__meeting__body=meeting.body
    )
    people = list(
        Person.objects.filter(pk__in=candidates.values("pk"))
        .exclude(pk__in=recorded)
        .order_by("name")
    )
    forms = [
        AttendanceRowForm(
            data,
            prefix=f"r{r.pk}",
            record=r,
            people=people,
            members=members,
            items=items,
            initial={
                "capacity": r.capacity,
                "on_behalf_of": r.on_behalf_of_id,
                "remote": r.remote,
                "from_item": r.from_item_id,
                "to_item": r.to_item_id,
            },
        )
        for r in records
    ]
    forms += [
        AttendanceRowForm(
            data,
            prefix=f"n{i + 1}",
            people=people,
            members=members,
            items=items,
            empty_permitted=True,
            use_required_attribute=False,
        )
        for i in range(NEW_ROWS)
    ]
    return forms


def _row_errors(rows: list[AttendanceRowForm]) -> list[str]:
    """Each row's errors for the summary, naming the person (or the new row)."""
    found = []
    for row in (r for r in rows if r.is_bound and not r.is_valid()):
        who = row.record.person.name if row.record is not None else f"New row {row.prefix[1:]}"
        for field, errors in row.errors.items():
            label = f"{row[field].label}: " if field in row.fields else ""
            found += [f"{who}: {label}{error}" for error in errors]
    return found


@workspace_view
def attendance_correct(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """Correct the attendance of approved minutes: each record (present, apologies,
    substitute, in attendance, remote, arrival and departure) changed, removed or added, with
    one reason for the whole correction."""
    meeting = meeting_of(body, key)
    _published(meeting, minutes=True)
    data = request.POST if request.method == "POST" else None
    rows = _attendance_forms(meeting, data)
    grid = VersionForm(data, initial={"version": meeting.attendance_version})
    reason = ReasonForm(data)
    conflict = None
    if request.method == "POST" and all(
        [grid.is_valid(), reason.is_valid(), *(r.is_valid() for r in rows)]
    ):
        changes = [c for c in (r.change() for r in rows) if c is not None]
        if not changes:
            reason.add_error(None, "Nothing was changed: change a row, or add one, to correct.")
        else:
            try:
                services.correct_attendance_rows(
                    meeting,
                    changes,
                    reason=reason.cleaned_data["reason"],
                    user=request.user,
                    version=grid.cleaned_data["version"],
                )
            except ValidationError as exc:
                conflict = refused(grid, exc)  # the summary above the rows shows it
            else:
                messages.success(
                    request,
                    "Correction of the attendance recorded; the minutes are issued again.",
                )
                return redirect("workspace:minutes", body=body.slug, key=meeting.key)
    return render(
        request,
        "workspace/corrections/attendance.html",
        {
            "body": body,
            "meeting": meeting,
            "rows": rows,
            "recorded": [r for r in rows if r.record is not None],
            "new_rows": [r for r in rows if r.record is None],
            "grid": grid,
            "reason": reason,
            "row_errors": _row_errors(rows),
            "conflict": conflict,
            "capacities": Attendance.Capacity,
        },
        status=conflict_status(conflict),
    )


def _printed_action(body: Body, meeting: str, key: str) -> Action:
    """An action the approved minutes print (confirmed, raised under an item): 404 otherwise."""
    action = get_object_or_404(
        Action.objects.select_related("meeting__body", "item").prefetch_related(
            Prefetch("owners", queryset=ActionOwner.objects.select_related("person"))
        ),
        meeting__body=body,
        meeting__key=meeting,
        key=key,
    )
    if not (action.meeting.minutes_locked and action.item_id and action.confirmed):
        raise Http404("The approved minutes do not print this action: edit it on its page.")
    return action


@workspace_view
def action_correct(request: HttpRequest, body: Body, meeting: str, key: str) -> HttpResponse:
    """Correct the owners (and wording) of an action the approved minutes print."""
    action = _printed_action(body, meeting, key)
    form = ActionForm(
        request.POST or None,
        initial={
            "description": action.description,
            "deadline": action.deadline,
            "ongoing": action.ongoing,
            "owners": action.owners_display(),
            "version": action.version,
        },
    )
    reason = ReasonForm(request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid() and reason.is_valid():
        data = form.cleaned_data
        people, preferred = owner_candidates(action.meeting)
        try:
            action_services.correct_action(
                action,
                description=data["description"],
                deadline=data["deadline"],
                ongoing=data["ongoing"],
                owners=action_services.owners_from_text(data["owners"], people, preferred),
                reason=reason.cleaned_data["reason"],
                user=request.user,
                version=data["version"],
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(
                request, "Correction of the action recorded; the minutes are issued again."
            )
            return redirect("workspace:minutes", body=body.slug, key=meeting)
    if conflict is not None:
        action = _printed_action(body, meeting, key)  # as the other person saved it
    return render(
        request,
        "workspace/corrections/action.html",
        {
            "body": body,
            "meeting": action.meeting,
            "action": action,
            "form": form,
            "reason": reason,
            "conflict": conflict,
        },
        status=conflict_status(conflict),
    )


@workspace_view
def paper_withdraw(
    request: HttpRequest, body: Body, key: str, number: str, paper: str
) -> HttpResponse:
    """Withdraw a published public paper as exempt: the form, then a page that says what will
    happen and asks to confirm, then the correction."""
    meeting = meeting_of(body, key)
    _published(meeting)
    item = item_of(meeting, number)
    record = get_object_or_404(item.papers, key=paper)
    if record.is_exempt:
        raise Http404("The paper is already exempt from publication.")
    form = WithdrawPaperForm(request.POST or None, initial={"version": record.version})
    conflict = None
    confirming = False
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirmed"]:
            confirming = True  # the same form again, hidden, with the button that does it
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirmed"}
            try:
                withdraw_paper_as_exempt(record, user=request.user, **data)
            except ValidationError as exc:
                conflict = refused(form, exc)
            else:
                messages.success(
                    request,
                    f"'{record.title}' is withdrawn as exempt: the public versions that held it "
                    "are withdrawn, and the agenda and packs are issued again without it.",
                )
                return redirect("workspace:item", body=body.slug, key=meeting.key, number=number)
    if conflict is not None:
        record.refresh_from_db()
    # What the withdrawal takes out of the public's reach (reports.papers says which).
    public = meeting.stored_documents.filter(withdrawn_at__isnull=True)
    held = (
        public.filter(kind=StoredDocument.Kind.PACK).count()
        + public.filter(
            kind=StoredDocument.Kind.PAPER, paper=record, audience=StoredDocument.Audience.PUBLIC
        ).count()
    )
    return render(
        request,
        "workspace/corrections/withdraw_paper.html",
        {
            "body": body,
            "meeting": meeting,
            "item": item,
            "paper": record,
            "form": form,
            "confirming": confirming,
            "held": held,
            "conflict": conflict,
        },
        status=conflict_status(conflict),
    )
