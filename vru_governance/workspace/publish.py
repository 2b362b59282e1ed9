"""The secretary's workspace: the pre-publication checklist and publishing an agenda."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from meetings import outbox
from meetings.models import Meeting
from meetings.services.publication import agenda_checks
from members.models import Body
from reports import publishing
from reports.models import Publication
from vru_governance.workspace.base import (
    form_errors,
    meeting_of,
    workspace_post_view,
    workspace_view,
)
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
            publication = publishing.request_publication(
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
            # A job publishes it: at once in the tests' setup, else this page shows progress.
            publication.refresh_from_db(fields=["state", "error"])
            if publication.state == Publication.State.FAILED:
                messages.error(request, f"The agenda was not published. {publication.error}")
                return redirect("workspace:publish", body=body.slug, key=meeting.key)
            if publication.state != Publication.State.DONE:
                messages.info(
                    request,
                    "Publishing the agenda: its documents are being made and frozen. This page "
                    "shows how far it has gone.",
                )
                return redirect("workspace:publish", body=body.slug, key=meeting.key)
            if published_on is not None:
                messages.success(
                    request,
                    f"Agenda recorded as published on {published_on:%-d %B %Y}; no one was "
                    "e-mailed.",
                )
            else:
                messages.success(request, "Agenda published.")
                mail_messages(request, meeting)
            return redirect("workspace:agenda", body=body.slug, key=meeting.key)
    acknowledgements = meeting.acknowledgements.select_related("acknowledged_by")
    mail = outbox.progress(meeting)
    publication = publishing.latest(meeting)
    stalled = publication is not None and publishing.is_stalled(publication)
    publishing_now = publication is not None and not stalled and publication.is_open
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
            "mail": mail,
            "mail_unsent": any(m.unsent for m in mail),
            "publication": publication,
            "publication_stalled": stalled,
            # Without JavaScript: the page reloads itself while the job runs.
            "refresh_seconds": 1 if publishing_now else None,
            "frozen": meeting.stored_documents.count()
            if publication is not None and publication.state == Publication.State.DONE
            else None,
        },
    )


def mail_messages(request: HttpRequest, meeting: Meeting) -> None:
    """Say how the partners' e-mails stand: sent already (jobs run at once in the embedded
    setup), failing and retried, or on their way (a worker sends them)."""
    for mail in outbox.progress(meeting):
        if mail.failing:
            messages.warning(request, f"{mail.sentence()} See Publish.")
        else:
            messages.info(request, mail.sentence())


@workspace_post_view
def mail_try_again(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """Send the meeting's unsent e-mails now, their attempts counted afresh."""
    meeting = meeting_of(body, key)
    try:
        outbox.try_again(meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        mail_messages(request, meeting)
    return redirect("workspace:publish", body=body.slug, key=meeting.key)


@workspace_post_view
def publish_try_again(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """Queue a failed or stalled publication again, with the reasons given the first time."""
    meeting = meeting_of(body, key)
    publication = publishing.latest(meeting)
    try:
        if publication is None:
            raise ValidationError("The agenda has not been sent for publication.")
        publishing.try_again(publication)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, "Publishing the agenda again.")
    return redirect("workspace:publish", body=body.slug, key=meeting.key)
