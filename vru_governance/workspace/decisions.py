"""The secretary's workspace: correcting the recorded decision of an item of approved minutes
(the decision itself is recorded on the item's minutes page, workspace/minutes.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetings.services import decisions as services
from members.models import Body
from vru_governance.workspace.base import (
    conflict_status,
    item_of,
    meeting_of,
    refused,
    workspace_view,
)
from vru_governance.workspace.forms.decisions import DecisionCorrectionForm


@workspace_view
def correct_decision(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    """Correct an item's decision once the minutes are approved, with the reason."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    form = DecisionCorrectionForm(
        request.POST or None, initial=DecisionCorrectionForm.initial_for(item)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_decision(item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, f"Correction of the decision of item {item.number} recorded.")
            return redirect("workspace:minutes", body=body.slug, key=meeting.key)
    if conflict is not None:
        item.refresh_from_db()
    return render(
        request,
        "workspace/meetings/correct_decision.html",
        {"body": body, "meeting": meeting, "item": item, "form": form, "conflict": conflict},
        status=conflict_status(conflict),
    )
