"""The secretary's workspace: a body's meetings (list, new meeting) and each meeting's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from actions.models import Action
from meetings.models import (
    AgendaItem,
    Attendance,
    ChecklistAcknowledgement,
    Meeting,
    MinuteParagraph,
    MinutesCorrection,
)
from meetings.services.meeting import create_meeting_with_standard_agenda
from members.models import Body
from reports.models import Paper
from vru_governance.workspace.base import form_errors, meeting_of, workspace_view
from vru_governance.workspace.forms.meetings import NewMeetingForm
from vru_governance.workspace.history import history_entries


@workspace_view
def meeting_list(request: HttpRequest, body: Body) -> HttpResponse:
    form = NewMeetingForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = create_meeting_with_standard_agenda(
                body,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                place=data["place"],
                planned=data["planned"],
                # The secretary who keeps the meeting is its clerk on the day.
                contact_officer=getattr(request.user, "person", None),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, f"Meeting of {meeting.date:%-d %B %Y} created with the standard agenda."
            )
            return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    meetings = body.meetings.annotate(n_items=Count("items")).order_by("-date")
    return render(
        request, "workspace/meetings/list.html", {"body": body, "meetings": meetings, "form": form}
    )


@workspace_view
def meeting_home(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    meeting = meeting_of(body, key)
    if meeting.stage() >= Meeting.ORDER.index(Meeting.Status.AGENDA_PUBLISHED):
        return redirect("workspace:minutes", body=body.slug, key=meeting.key)
    return redirect("workspace:agenda", body=body.slug, key=meeting.key)


@workspace_view
def meeting_history(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """Every change to the meeting, its agenda, attendance, minutes and actions."""
    meeting = meeting_of(body, key)
    item_ids = list(meeting.items.values_list("pk", flat=True))
    entries = history_entries(
        [
            Meeting.history.filter(id=meeting.pk),
            AgendaItem.history.filter(meeting_id=meeting.pk),
            Attendance.history.filter(meeting_id=meeting.pk),
            MinuteParagraph.history.filter(item_id__in=item_ids),
            Action.history.filter(meeting_id=meeting.pk),
            ChecklistAcknowledgement.history.filter(meeting_id=meeting.pk),
            MinutesCorrection.history.filter(meeting_id=meeting.pk),
            Paper.history.filter(item_id__in=item_ids),
        ]
    )
    return render(
        request,
        "workspace/meetings/history.html",
        {"body": body, "meeting": meeting, "history": entries},
    )
