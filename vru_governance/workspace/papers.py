"""The secretary's workspace: an item's papers, authored by section or uploaded as a PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from members.models import Body
from reports.models import Paper
from reports.papers import save_paper
from vru_governance.workspace.base import (
    agenda_locked,
    conflict_status,
    item_of,
    meeting_of,
    refused,
    workspace_view,
)
from vru_governance.workspace.forms.meetings import PaperForm, PaperReviewForm, PaperUploadForm


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
    # A paper of a published agenda is shown as published; a change is a correction
    # (withdrawing it as exempt), and only the review date of an exemption is free.
    locked = instance.pk is not None and agenda_locked(meeting)
    form_class = PaperReviewForm if locked else PaperUploadForm if uploaded else PaperForm
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        initial={"version": instance.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_paper(
                form.instance,
                upload=form.cleaned_data.get("upload"),
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            note = " (a supplement: the agenda was already published)" if saved.supplement else ""
            messages.success(request, f"Paper '{saved.title}' saved{note}.")
            problems = saved.accessibility_problems()
            if problems:
                # A warning, not a refusal: the board may still need to publish the paper.
                messages.warning(
                    request,
                    f"The PDF of '{saved.title}' is not accessible, and will be listed on the "
                    "accessibility statement until it is replaced: " + " ".join(problems),
                )
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
            "locked": locked,
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
