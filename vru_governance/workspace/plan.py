"""The secretary's workspace: the forward plan (items proposed for later meetings, placing them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from meetings.models import ForwardPlanItem
from meetings.services.plan import place_planned_item, save_forward_plan_item
from members.models import Body
from vru_governance.workspace.base import (
    conflict_status,
    form_errors,
    refused,
    workspace_post_view,
    workspace_view,
)
from vru_governance.workspace.forms.meetings import ForwardPlanForm, PlaceForm
from vru_governance.workspace.history import history_entries


@workspace_view
def forward_plan(request: HttpRequest, body: Body) -> HttpResponse:
    form = ForwardPlanForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            save_forward_plan_item(form.instance)
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
            saved = save_forward_plan_item(form.instance, version=form.cleaned_data["version"])
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
        item = place_planned_item(plan, meeting)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workspace:forward_plan", body=body.slug)
    messages.success(
        request, f"'{plan.title}' is item {item.number} of the meeting of {meeting.date:%-d %B %Y}."
    )
    return redirect("workspace:agenda", body=body.slug, key=meeting.key)
