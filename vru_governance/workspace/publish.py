"""The secretary's workspace: the pre-publication checklist and publishing an agenda."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from meetings.services.publication import agenda_checks, publish_agenda
from members.models import Body
from vru_governance.workspace.base import form_errors, meeting_of, workspace_view
from vru_governance.workspace.forms.meetings import PublishForm


@workspace_view
def publish(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """The pre-publication checklist; publish with a reason for each failed check."""
    meeting = meeting_of(body, key)
    checks = agenda_checks(meeting)
    form = PublishForm(request.POST or None, checks=checks)
    if request.method == "POST" and form.is_valid():
        published_on = form.cleaned_data.get("published_on")
        try:
            publish_agenda(
                meeting,
                request.user,
                form.acknowledgements(),
                base_url=request.build_absolute_uri("/"),
                published_on=published_on,
            )
        except ValidationError as exc:
            form_errors(form, exc)
            # The checks as they stand for the date given (a past one asks no notice).
            checks = agenda_checks(meeting, published_on=published_on)
        else:
            if published_on is not None:
                messages.success(
                    request,
                    f"Agenda recorded as published on {published_on:%-d %B %Y}; no one was "
                    "e-mailed.",
                )
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
            "is_past": meeting.date < timezone.localdate(),
        },
    )
