"""The secretary's workspace: the agenda editor (the meeting's details; items added, edited,
moved and removed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from meetings import lifecycle
from meetings.models import AgendaItem, Meeting, presenter_line
from meetings.services.agenda import (
    add_item,
    correct_agenda_wording,
    move_item,
    remove_item,
    update_agenda_wording,
    update_item,
)
from meetings.services.corrections import correct_meeting_details
from meetings.services.meeting import update_meeting_details
from meetings.services.plan import planned_for
from members.models import Body
from reports.models import Paper
from vru_governance.workspace.base import (
    agenda_locked,
    beside,
    conflict_status,
    item_of,
    meeting_of,
    posted_version,
    refused,
    workspace_post_view,
    workspace_view,
)
from vru_governance.workspace.forms import VersionField
from vru_governance.workspace.forms.meetings import (
    AddItemForm,
    AgendaWordingForm,
    ItemForm,
    MeetingDetailsForm,
    lead_initial,
)


def _agenda_context(meeting: Meeting) -> dict[str, Any]:
    items = list(
        meeting.items.prefetch_related(
            Prefetch("papers", queryset=Paper.objects.order_by("position", "pk"))
        )
    )
    for item in items:
        item.meeting = meeting
        item.lead_line = presenter_line(
            item.presenter_lead, item.presenter, has_report=bool(item.papers.all())
        )
    return {
        "body": meeting.body,
        "meeting": meeting,
        "items": items,
        "planned": planned_for(meeting),
        "interval_flag": meeting.interval_flag(),
        "agenda_locked": agenda_locked(meeting),
    }


def _correction_reason(form: MeetingDetailsForm | AgendaWordingForm, meeting: Meeting) -> None:
    """A published agenda's details and wording change only as a correction, with its reason;
    a draft's have no reason to give."""
    if not meeting.agenda_is_public:
        del form.fields["reason"]


@workspace_view
def agenda(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """The agenda editor: details, items (add, edit, reorder, remove), papers, forward plan."""
    meeting = meeting_of(body, key)
    details = MeetingDetailsForm(
        initial={
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "place": meeting.place,
            "version": meeting.version,
        }
    )
    add = AddItemForm(initial={"version": meeting.version}, meeting=meeting, prefix="add")
    wording = AgendaWordingForm(
        initial={
            "in_attendance": meeting.in_attendance,
            "next_meeting": meeting.next_meeting,
            "next_meeting_text": meeting.next_meeting_text,
            "version": meeting.version,
        },
        prefix="wording",
    )
    conflict = None
    if request.method == "POST" and "details" in request.POST:
        details = MeetingDetailsForm(request.POST)
        if details.is_valid():
            data = details.cleaned_data
            values = {k: data[k] for k in ("date", "start_time", "end_time", "place", "version")}
            try:
                if data.get("reason", "").strip() and meeting.agenda_is_public:
                    correct_meeting_details(
                        meeting, reason=data["reason"], user=request.user, **values
                    )
                else:
                    update_meeting_details(meeting, **values)
            except ValidationError as exc:
                conflict = refused(details, exc)
            else:
                messages.success(request, "Meeting details saved.")
                return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    elif request.method == "POST" and "wording" in request.POST:
        wording = AgendaWordingForm(request.POST, prefix="wording")
        if wording.is_valid():
            data = wording.cleaned_data
            values = {
                k: data[k]
                for k in ("in_attendance", "next_meeting", "next_meeting_text", "version")
            }
            try:
                if meeting.agenda_is_public:
                    correct_agenda_wording(
                        meeting, reason=data["reason"], user=request.user, **values
                    )
                else:
                    update_agenda_wording(meeting, **values)
            except ValidationError as exc:
                conflict = refused(wording, exc)
            else:
                messages.success(request, "The agenda's wording is saved.")
                return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    elif request.method == "POST" and "add" in request.POST:
        add = AddItemForm(request.POST, meeting=meeting, prefix="add")
        if add.is_valid():
            try:
                # title, presenter, kind, sub_item, after and version: the service's arguments
                item = add_item(meeting, **add.cleaned_data)
            except ValidationError as exc:
                conflict = refused(add, exc)
            else:
                messages.success(request, f"Item {item.number} added.")
                return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    for form in (details, wording):
        _correction_reason(form, meeting)
    beside_rows = []
    if conflict is not None:
        meeting.refresh_from_db()
        if details.is_bound:
            fields = ("date", "start_time", "end_time", "place")
            beside_rows = beside(details, {f: getattr(meeting, f) for f in fields})
        elif wording.is_bound:
            fields = ("in_attendance", "next_meeting", "next_meeting_text")
            beside_rows = beside(wording, {f: getattr(meeting, f) for f in fields})
    context = _agenda_context(meeting)
    context.update(details=details, add=add, wording=wording, conflict=conflict)
    context["beside_rows"] = beside_rows
    return render(
        request, "workspace/meetings/agenda.html", context, status=conflict_status(conflict)
    )


@workspace_view
def item_edit(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    initial = {
        "title": item.title,
        "presenter": item.presenter,
        **lead_initial(item.presenter_lead),
        "kind": item.kind,
        "sub_item": item.is_sub_item,
        "minutes_allowed": item.minutes_allowed,
        "version": item.version,
    }
    locked = agenda_locked(meeting)
    data = request.POST or None
    if locked and data is not None:
        # The page offers only what the lock leaves free (the minutes allowed); the rest is
        # posted as published, so a change to it still meets the lock in the service.
        data = _with_defaults(data, form_values(ItemForm(initial=initial)))
    form = ItemForm(data, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            item = update_item(item, **form.cleaned_data)
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, f"Item {item.number} saved.")
            return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    if conflict is not None:
        item.refresh_from_db()
    papers = item.papers.order_by("position", "pk")
    return render(
        request,
        "workspace/meetings/item.html",
        {
            "body": body,
            "meeting": meeting,
            "item": item,
            "form": form,
            "papers": papers,
            "conflict": conflict,
            "agenda_locked": locked,
        },
        status=conflict_status(conflict),
    )


def form_values(form: forms.Form) -> dict[str, str]:
    """What an unbound form would post as it is shown (a box left unticked posts nothing),
    but its version: a post that leaves that out is out of date (VersionField)."""
    values = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, VersionField):
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                values[form.add_prefix(name)] = "on"
        elif value is not None:
            values[form.add_prefix(name)] = str(value)
    return values


def _with_defaults(posted: QueryDict, shown: dict[str, str]) -> QueryDict:
    """The posted form, with what the page did not offer as it was shown."""
    data = posted.copy()
    for key, value in shown.items():
        if key not in data:
            data[key] = value
    return data


@workspace_post_view
def item_move(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, f"Choose Up or Down to move item {item.number}.")
        return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    try:
        move_item(item, up=direction == "up", version=posted_version(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("workspace:agenda", body=body.slug, key=meeting.key)


@workspace_view
def item_remove(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    """Remove an item after a confirmation page (a plain form: no script needed); the page
    names the item and what the agenda becomes."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            remove_item(item, version=posted_version(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Item '{item.title}' removed; the agenda is renumbered.")
        return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    later = [i for i in meeting.items.order_by("position", "pk") if i.position > item.position]
    # A published agenda keeps its items (meetings/lifecycle.py): say so instead of asking.
    locked = lifecycle.locks_for(AgendaItem, meeting.status).removes
    return render(
        request,
        "workspace/meetings/item_remove.html",
        {"body": body, "meeting": meeting, "item": item, "later": later, "locked": locked},
    )
