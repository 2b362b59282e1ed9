"""The secretary's workspace: meetings, the agenda editor, papers, publication, the forward
plan and each meeting's history. Attendance and minutes are in their own modules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from actions.models import Action
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    ChecklistAcknowledgement,
    ForwardPlanItem,
    Meeting,
    MinuteParagraph,
    MinutesCorrection,
)
from members.models import Body
from reports.models import Paper
from vru_governance.workspace.forms.meetings import (
    AddItemForm,
    ForwardPlanForm,
    ItemForm,
    MeetingDetailsForm,
    NewMeetingForm,
    PaperForm,
    PaperUploadForm,
    PlaceForm,
    PublishForm,
)
from vru_governance.workspace.history import history_entries
from vru_governance.workspace.members import form_errors, workspace_post_view, workspace_view


def meeting_of(body: Body, key: str) -> Meeting:
    """A meeting fetched through its body (already checked by workspace_view)."""
    meeting = body.meetings.select_related("body").filter(key=key).first()
    if meeting is None:
        raise Http404("No such meeting.")
    meeting.body = body
    return meeting


def item_of(meeting: Meeting, number: str) -> AgendaItem:
    # The URL's number is any text: one with a NUL character (PostgreSQL refuses it) is no item.
    item = None if "\x00" in number else meeting.items.filter(number=number).first()
    if item is None:
        raise Http404("No such item.")
    item.meeting = meeting
    return item


def posted_version(request: HttpRequest) -> int | None:
    """The version a button's form was rendered with (None when it sent none)."""
    version = request.POST.get("version", "")
    # isdigit() alone lets "²" through, which int() refuses.
    return int(version) if version.isascii() and version.isdigit() and len(version) < 10 else None


def refused(form: forms.BaseForm, exc: ValidationError) -> services.EditConflict | None:
    """Put a service's error on the form, which keeps what was typed. On an edit conflict the
    form also takes the version saved now, so that saving again after reviewing the other
    person's change is accepted; the conflict is returned for the page to show."""
    form_errors(form, exc)
    if not isinstance(exc, services.EditConflict):
        return None
    if exc.current is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix("version")] = str(exc.current)
        form.data = data
    return exc


def conflict_status(conflict: ValidationError | None) -> int:
    """409 Conflict for a page shown again because someone else saved first."""
    return 409 if conflict is not None else 200


@workspace_view
def meeting_list(request: HttpRequest, body: Body) -> HttpResponse:
    form = NewMeetingForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting_with_standard_agenda(
                body,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                place=data["place"],
                planned=data["planned"],
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


def _agenda_context(meeting: Meeting) -> dict[str, Any]:
    items = list(
        meeting.items.prefetch_related(
            Prefetch("papers", queryset=Paper.objects.order_by("position", "pk"))
        )
    )
    for item in items:
        item.meeting = meeting
    return {
        "body": meeting.body,
        "meeting": meeting,
        "items": items,
        "planned": services.planned_for(meeting),
        "interval_flag": meeting.interval_flag(),
    }


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
    conflict = None
    if request.method == "POST" and "details" in request.POST:
        details = MeetingDetailsForm(request.POST)
        if details.is_valid():
            data = details.cleaned_data
            try:
                services.update_meeting_details(
                    meeting,
                    date=data["date"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    place=data["place"],
                    version=data["version"],
                )
            except ValidationError as exc:
                conflict = refused(details, exc)
            else:
                messages.success(request, "Meeting details saved.")
                return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    elif request.method == "POST" and "add" in request.POST:
        add = AddItemForm(request.POST, meeting=meeting, prefix="add")
        if add.is_valid():
            try:
                # title, presenter, kind, sub_item, after and version: the service's arguments
                item = services.add_item(meeting, **add.cleaned_data)
            except ValidationError as exc:
                conflict = refused(add, exc)
            else:
                messages.success(request, f"Item {item.number} added.")
                return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    if conflict is not None:
        meeting.refresh_from_db()
    context = _agenda_context(meeting)
    context.update(details=details, add=add, conflict=conflict)
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
        "kind": item.kind,
        "sub_item": item.is_sub_item,
        "version": item.version,
    }
    form = ItemForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.update_item(item, **form.cleaned_data)
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
        },
        status=conflict_status(conflict),
    )


@workspace_post_view
def item_move(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, f"Choose Up or Down to move item {item.number}.")
        return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    try:
        services.move_item(item, up=direction == "up", version=posted_version(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("workspace:agenda", body=body.slug, key=meeting.key)


@workspace_post_view
def item_remove(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    try:
        services.remove_item(item, version=posted_version(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Item '{item.title}' removed; the agenda is renumbered.")
    return redirect("workspace:agenda", body=body.slug, key=meeting.key)


# Papers --------------------------------------------------------------------------------


@workspace_view
def paper_edit(
    request: HttpRequest, body: Body, key: str, number: str, paper: str | None = None
) -> HttpResponse:
    """Add or edit a paper: authored by section, or an uploaded PDF (?as=upload)."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    instance = get_object_or_404(item.papers, key=paper) if paper else Paper(item=item)
    instance.item = item
    uploaded = bool(instance.file) or request.GET.get("as") == "upload"
    form_class = PaperUploadForm if uploaded else PaperForm
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        initial={"version": instance.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_paper(
                form.instance,
                upload=form.cleaned_data.get("upload"),
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            note = " (a supplement: the agenda was already published)" if saved.supplement else ""
            messages.success(request, f"Paper '{saved.title}' saved{note}.")
            return redirect("workspace:item", body=body.slug, key=meeting.key, number=item.number)
    current = None
    if request.method == "POST" and instance.pk:
        # The form changed the instance it was given: the page names the paper as saved.
        current = item.papers.filter(pk=instance.pk).first()
    return render(
        request,
        "workspace/meetings/paper.html",
        {
            "body": body,
            "meeting": meeting,
            "item": item,
            "paper": current or instance,
            "form": form,
            "uploaded": uploaded,
            "conflict": conflict,
        },
        status=conflict_status(conflict),
    )


@workspace_view
def paper_file(request: HttpRequest, body: Body, key: str, number: str, paper: str) -> FileResponse:
    """The uploaded PDF, served only through this checked view (never a public folder)."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    found = get_object_or_404(item.papers, key=paper)
    if not found.file:
        raise Http404("This paper has no uploaded file.")
    return FileResponse(
        found.file.open("rb"), content_type="application/pdf", filename=f"{found.key}.pdf"
    )


# Publication ---------------------------------------------------------------------------


@workspace_view
def publish(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """The pre-publication checklist; publish with a reason for each failed check."""
    meeting = meeting_of(body, key)
    checks = services.agenda_checks(meeting)
    form = PublishForm(request.POST or None, checks=checks)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_agenda(
                meeting,
                request.user,
                form.acknowledgements(),
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Agenda published; partners have been emailed.")
            return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    acknowledgements = meeting.acknowledgements.select_related("acknowledged_by")
    return render(
        request,
        "workspace/meetings/publish.html",
        {
            "body": body,
            "meeting": meeting,
            "checks": checks,
            "form": form,
            "acknowledgements": acknowledgements,
        },
    )


# The forward plan ----------------------------------------------------------------------


@workspace_view
def forward_plan(request: HttpRequest, body: Body) -> HttpResponse:
    form = ForwardPlanForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_forward_plan_item(form.instance)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"'{form.instance.title}' added to the forward plan.")
            return redirect("workspace:forward_plan", body=body.slug)
    plan = body.forward_plan.select_related(
        "proposed_by", "target_meeting", "placed_item__meeting"
    ).order_by("placed_item", "target_month", "created_at")
    return render(
        request,
        "workspace/meetings/forward_plan.html",
        {"body": body, "plan": plan, "form": form, "place_form": PlaceForm(body=body)},
    )


@workspace_view
def forward_plan_edit(request: HttpRequest, body: Body, pk: int) -> HttpResponse:
    plans = body.forward_plan.select_related("target_meeting", "placed_item__meeting")
    plan = get_object_or_404(plans, pk=pk)
    form = ForwardPlanForm(request.POST or None, instance=plan, body=body)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_forward_plan_item(
                form.instance, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, f"'{saved.title}' saved.")
            return redirect("workspace:forward_plan", body=body.slug)
    if conflict is not None:
        plan = get_object_or_404(plans, pk=pk)  # as the other person saved it
    history = history_entries([ForwardPlanItem.history.filter(id=plan.pk)])
    return render(
        request,
        "workspace/meetings/forward_plan_edit.html",
        {"body": body, "plan": plan, "form": form, "history": history, "conflict": conflict},
        status=conflict_status(conflict),
    )


@workspace_post_view
def forward_plan_place(request: HttpRequest, body: Body, pk: int) -> HttpResponse:
    plan = get_object_or_404(body.forward_plan, pk=pk)
    form = PlaceForm(request.POST, body=body)
    if not form.is_valid():
        messages.error(request, "Choose a meeting whose agenda is still open.")
        return redirect("workspace:forward_plan", body=body.slug)
    meeting = form.cleaned_data["meeting"]
    try:
        item = services.place_planned_item(plan, meeting)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workspace:forward_plan", body=body.slug)
    messages.success(
        request, f"'{plan.title}' is item {item.number} of the meeting of {meeting.date:%-d %B %Y}."
    )
    return redirect("workspace:agenda", body=body.slug, key=meeting.key)


# History -------------------------------------------------------------------------------


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
