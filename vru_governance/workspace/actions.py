"""The secretary's workspace: the action log (filter, sort, edit, confirm, status updates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from actions import services
from actions.models import Action, ActionOwner
from meetings.models import Meeting
from meetings.services.minutes import owner_candidates
from members.models import Body
from vru_governance.workspace.base import (
    conflict_status,
    posted_version,
    refused,
    secretary_bodies,
    workspace_login_required,
    workspace_post_view,
    workspace_view,
)
from vru_governance.workspace.forms.actions import ActionForm, FilterForm, UpdateForm
from vru_governance.workspace.history import history_entries


def _log(request: HttpRequest, bodies: list[Body], body: Body | None) -> HttpResponse:
    actions = Action.objects.filter(meeting__body__in=bodies)
    meetings = list(
        bodies[0].meetings.select_related("body").order_by("-date")
        if body
        else _meetings_of(bodies)
    )
    owner_rows = ActionOwner.objects.filter(action__meeting__body__in=bodies).select_related(
        "person"
    )
    owners: dict[str, str] = {}
    for row in owner_rows:
        owners[f"p{row.person_id}" if row.person_id else row.role] = row.display()
    form = FilterForm(
        request.GET or None,
        bodies=bodies,
        meetings=meetings,
        owners=sorted(owners.items(), key=lambda o: o[1]),
    )
    filters = form.filters() if request.GET else {}
    rows = (
        services.action_log(actions, **filters)
        .select_related("meeting__body", "item")
        .prefetch_related(Prefetch("owners", queryset=ActionOwner.objects.select_related("person")))
    )
    return render(
        request,
        "workspace/actions/log.html",
        {"body": body, "bodies": bodies, "form": form, "actions": rows, "today": dt.date.today()},
    )


def _meetings_of(bodies: list[Body]) -> QuerySet:
    return Meeting.objects.filter(body__in=bodies).select_related("body").order_by("-date")


@workspace_view
def action_log(request: HttpRequest, body: Body) -> HttpResponse:
    """One body's action log."""
    return _log(request, [body], body)


@workspace_login_required
def all_actions(request: HttpRequest) -> HttpResponse:
    """The action log of every body this secretary serves, with a body filter."""
    return _log(request, secretary_bodies(request), None)


def _action_of(body: Body, meeting: str, key: str) -> Action:
    return get_object_or_404(
        Action.objects.select_related("meeting__body", "item", "paragraph").prefetch_related(
            Prefetch("owners", queryset=ActionOwner.objects.select_related("person"))
        ),
        meeting__body=body,
        meeting__key=meeting,
        key=key,
    )


@workspace_view
def action_detail(request: HttpRequest, body: Body, meeting: str, key: str) -> HttpResponse:
    """Edit (or confirm) an action; add a status update; see every update and change."""
    action = _action_of(body, meeting, key)
    initial = {
        "description": action.description,
        "deadline": action.deadline,
        "ongoing": action.ongoing,
        "owners": action.owners_display(),
        "version": action.version,
    }
    # Owners the approved minutes print change only by a correction: shown, not offered.
    printed = bool(action.confirmed and action.item_id and action.meeting.minutes_locked)
    form = _action_form(None, initial, printed)
    update_form = UpdateForm(initial={"status": action.status, "version": action.version})
    conflict = None
    if request.method == "POST" and "update" in request.POST:
        update_form = UpdateForm(request.POST)
        if update_form.is_valid():
            try:
                services.add_update(action, author=request.user, **update_form.cleaned_data)
            except ValidationError as exc:
                conflict = refused(update_form, exc)
            else:
                messages.success(request, "Status update recorded.")
                return redirect("workspace:action", body=body.slug, meeting=meeting, key=key)
    elif request.method == "POST":
        form = _action_form(request.POST, initial, printed)
        if form.is_valid():
            data = form.cleaned_data
            people, preferred = owner_candidates(action.meeting)
            try:
                services.update_action(
                    action,
                    description=data["description"],
                    deadline=data["deadline"],
                    ongoing=data["ongoing"],
                    owners=services.owners_from_text(data["owners"], people, preferred),
                    confirm="confirm" in request.POST,
                    version=data["version"],
                )
            except ValidationError as exc:
                conflict = refused(form, exc)
            else:
                messages.success(
                    request, "Action confirmed." if "confirm" in request.POST else "Action saved."
                )
                if request.POST.get("next") == "minutes":
                    return redirect("workspace:minutes", body=body.slug, key=meeting)
                return redirect("workspace:action", body=body.slug, meeting=meeting, key=key)
    if conflict is not None:
        action = _action_of(body, meeting, key)  # as the other person saved it
    context: dict[str, Any] = {
        "body": body,
        "action": action,
        "form": form,
        "update_form": update_form,
        "updates": action.updates.select_related("author"),
        "history": history_entries([Action.history.filter(id=action.pk)]),
        "back": request.GET.get("next") or request.POST.get("next", ""),
        "conflict": conflict,
    }
    return render(
        request, "workspace/actions/detail.html", context, status=conflict_status(conflict)
    )


def _action_form(data: Any, initial: dict[str, Any], printed: bool) -> ActionForm:
    """The action's form; for an action the approved minutes print, its owners field is
    disabled (a posted value is ignored: the owners stay as printed)."""
    form = ActionForm(data, initial=initial)
    if printed:
        owners = form.fields["owners"]
        owners.disabled = True
        owners.help_text = (
            "The approved minutes print these owners: change them by recording a correction."
        )
    return form


@workspace_post_view
def action_discard(request: HttpRequest, body: Body, meeting: str, key: str) -> HttpResponse:
    action = _action_of(body, meeting, key)
    try:
        services.discard_action(action, version=posted_version(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workspace:action", body=body.slug, meeting=meeting, key=key)
    messages.success(request, "Action discarded.")
    return redirect("workspace:minutes", body=body.slug, key=meeting)
