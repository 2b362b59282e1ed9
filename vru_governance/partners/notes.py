"""A partner's private notes on papers: write, change and delete one; list, export and delete
all of them. Only the author ever reads a note (reports/notes.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import access
from reports import notes as notes_service
from reports.models import Paper
from vru_governance.partners.base import not_a_partner, partner_for, partner_login_required
from vru_governance.partners.forms import NoteForm
from vru_governance.workspace.base import posted_version, refused


def paper_for(request: HttpRequest, body_slug: str, meeting_key: str, item: str, key: str) -> Paper:
    """The paper through its body and meeting; 404 for anyone who may not see it."""
    meeting = access.meeting_for(request.user, body_slug, meeting_key)
    paper = (
        Paper.objects.select_related("item__meeting__body")
        .filter(item__meeting=meeting, item__number=item, key=key)
        .first()
    )
    if paper is None or not access.can_see_paper(request.user, paper):
        raise Http404("No such paper.")
    return paper


def note_url(paper: Paper) -> str:
    meeting = paper.item.meeting
    return reverse(
        "public:partner-note",
        args=[meeting.body.slug, meeting.key, paper.item.number, paper.key],
    )


@partner_login_required
def edit_note(
    request: HttpRequest, body_slug: str, meeting_key: str, item: str, key: str
) -> HttpResponse:
    """Write or change the partner's note on one paper."""
    if partner_for(request) is None:
        return not_a_partner(request)
    paper = paper_for(request, body_slug, meeting_key, item, key)
    note = notes_service.note_on(request.user, paper)
    initial = {"text": note.text, "version": note.version} if note else {"version": 0}
    form = NoteForm(request.POST or None, initial=initial)
    conflict = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                notes_service.save_note(
                    user=request.user,
                    paper=paper,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                conflict = refused(form, exc)
                if conflict is not None:
                    status = 409
                    note = notes_service.note_on(request.user, paper)
            else:
                messages.success(request, f"Your note on “{paper.title}” is saved.")
                return redirect(note_url(paper))
    context = {
        "paper": paper,
        "meeting": paper.item.meeting,
        "note": note,
        "form": form,
        "conflict": conflict,
        "delete_url": note_url(paper) + "delete/",
    }
    return render(request, "partners/note_form.html", context, status=status)


@partner_login_required
@require_POST
def delete_note(
    request: HttpRequest, body_slug: str, meeting_key: str, item: str, key: str
) -> HttpResponse:
    if partner_for(request) is None:
        return not_a_partner(request)
    paper = paper_for(request, body_slug, meeting_key, item, key)
    try:
        deleted = notes_service.delete_note(
            user=request.user, paper=paper, version=posted_version(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(note_url(paper))
    if deleted:
        messages.success(request, f"Your note on “{paper.title}” is deleted.")
    return redirect(reverse("public:partner-notes"))


# All my notes: open to their author even after their appointment ended, so that they can
# take their notes away or delete them.


@partner_login_required
def my_notes(request: HttpRequest) -> HttpResponse:
    notes = list(notes_service.notes_of(request.user))
    for note in notes:
        note.url = note_url(note.paper) if access.can_see_paper(request.user, note.paper) else ""
    return render(request, "partners/notes.html", {"notes": notes})


@partner_login_required
def export_notes(request: HttpRequest, fmt: str) -> HttpResponse:
    """The author's notes as a download: JSON or Markdown."""
    notes = notes_service.notes_of(request.user)
    if fmt == "json":
        body, content_type = notes_service.export_json(notes), "application/json"
    elif fmt == "md":
        body, content_type = notes_service.export_markdown(notes), "text/markdown"
    else:
        raise Http404("No such format.")
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-notes.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@partner_login_required
@require_POST
def delete_all_notes(request: HttpRequest) -> HttpResponse:
    """Delete every note of the user, on request (the form asks them to confirm)."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that every note is to be deleted.")
        return redirect(reverse("public:partner-notes"))
    count = notes_service.delete_all_notes(user=request.user)
    messages.success(request, f"{count} note{'s' if count != 1 else ''} deleted.")
    return redirect(reverse("public:partner-notes"))
