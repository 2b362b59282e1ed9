"""Thin views over the documents: check access (members/access.py), serve stored or render."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from meetings.models import Meeting
from members.access import (
    can_see_body_records,
    can_see_minutes,
    can_see_paper,
    meeting_for,
)
from reports.documents.actions_arising import render_actions_arising
from reports.documents.minutes import build_minutes, render_minutes
from reports.documents.pack import Audience, build_pack
from reports.documents.papers import render_paper
from reports.documents.render import Rendered
from reports.models import Paper, StoredDocument

Kind = StoredDocument.Kind
# The kinds as they appear in URLs (/documents/2/partners-pack.pdf).
KIND_SLUGS = {kind.value.replace("_", "-"): kind for kind in Kind}


def _refuse(request: HttpRequest) -> Exception:
    """404 for the public (no hint that something is there), 403 for signed-in users."""
    if request.user.is_authenticated:
        return PermissionDenied("You may not see this document.")
    return Http404("No such document.")


def _check(request: HttpRequest, meeting: Meeting, kind: str) -> None:
    """The agenda's documents follow the agenda (meeting_for); the rest have their own rule."""
    if kind == Kind.PARTNERS_PACK and not can_see_body_records(request.user, meeting.body):
        raise _refuse(request)
    if kind == Kind.MINUTES and not can_see_minutes(request.user, meeting):
        raise _refuse(request)


def _is_public(meeting: Meeting, kind: str) -> bool:
    if kind == Kind.PARTNERS_PACK:
        return False
    if kind == Kind.MINUTES:
        return meeting.minutes_are_public
    return meeting.agenda_is_public


def _filename(meeting: Meeting, kind: str, version: int | None = None) -> str:
    suffix = f"-v{version}" if version else ""
    return f"{meeting.body.slug}-{meeting.key}-{kind.replace('_', '-')}{suffix}.pdf"


def _respond(response: FileResponse, public: bool) -> FileResponse:
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _stored_response(document: StoredDocument, meeting: Meeting) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=_filename(meeting, document.kind, document.version),
    )
    response["ETag"] = f'"{document.sha256}"'
    return _respond(response, _is_public(meeting, document.kind))


def _live(meeting: Meeting, kind: str) -> Rendered:
    """Render from the records: drafts for those who may see them, or nothing frozen yet."""
    if kind == Kind.AGENDA:
        rendered = build_pack(meeting, Audience.PUBLIC, with_pack=False).agenda
    elif kind == Kind.PACK:
        rendered = build_pack(meeting, Audience.PUBLIC, with_agenda=False).pack
    elif kind == Kind.PARTNERS_PACK:
        rendered = build_pack(meeting, Audience.PARTNERS, with_agenda=False).pack
    elif kind == Kind.ACTIONS_ARISING:
        rendered = render_actions_arising(meeting)
    else:
        rendered = render_minutes(meeting)
    assert rendered is not None
    return rendered


def _document(request: HttpRequest, body_slug: str, key: str, kind: str) -> FileResponse:
    meeting = meeting_for(request.user, body_slug, key)
    _check(request, meeting, kind)
    stored = meeting.stored_documents.filter(kind=kind).order_by("-version").first()
    if stored is not None:
        return _stored_response(stored, meeting)
    rendered = _live(meeting, kind)
    response = FileResponse(
        io.BytesIO(rendered.pdf),
        content_type="application/pdf",
        as_attachment=False,
        filename=_filename(meeting, kind),
    )
    # A live rendering of a published document is public too, but it is not the frozen copy.
    return _respond(response, public=False)


@require_safe
def agenda_pdf(request: HttpRequest, body_slug: str, key: str) -> FileResponse:
    return _document(request, body_slug, key, Kind.AGENDA)


@require_safe
def pack_pdf(request: HttpRequest, body_slug: str, key: str) -> FileResponse:
    return _document(request, body_slug, key, Kind.PACK)


@require_safe
def partners_pack_pdf(request: HttpRequest, body_slug: str, key: str) -> FileResponse:
    return _document(request, body_slug, key, Kind.PARTNERS_PACK)


@require_safe
def minutes_pdf(request: HttpRequest, body_slug: str, key: str) -> FileResponse:
    return _document(request, body_slug, key, Kind.MINUTES)


@require_safe
def actions_arising_pdf(request: HttpRequest, body_slug: str, key: str) -> FileResponse:
    return _document(request, body_slug, key, Kind.ACTIONS_ARISING)


@require_safe
def stored_document(
    request: HttpRequest, body_slug: str, key: str, version: int, kind: str
) -> FileResponse:
    """A given stored version: corrections never replace what was published before."""
    meeting = meeting_for(request.user, body_slug, key)
    if kind not in KIND_SLUGS:
        raise Http404("No such document.")
    kind = KIND_SLUGS[kind]
    _check(request, meeting, kind)
    document = meeting.stored_documents.filter(kind=kind, version=version).first()
    if document is None:
        raise Http404("No such version.")
    return _stored_response(document, meeting)


@require_safe
def paper_pdf(request: HttpRequest, body_slug: str, key: str, paper_key: str) -> FileResponse:
    """One paper: the uploaded file as uploaded, or an authored paper rendered."""
    meeting = meeting_for(request.user, body_slug, key)
    paper = (
        Paper.objects.filter(item__meeting=meeting, key=paper_key)
        .select_related("item")
        .order_by("item__position", "position", "pk")
        .first()
    )
    if paper is None:
        raise Http404("No such paper.")
    paper.item.meeting = meeting
    if not can_see_paper(request.user, paper):
        raise _refuse(request)
    filename = f"{meeting.body.slug}-{meeting.key}-{paper.key}.pdf"
    if paper.file:
        response = FileResponse(
            paper.file.open("rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=filename,
        )
    else:
        partners = can_see_body_records(request.user, meeting.body)
        rendered = render_paper(paper, meeting, partners=partners)
        response = FileResponse(
            io.BytesIO(rendered.pdf),
            content_type="application/pdf",
            as_attachment=False,
            filename=filename,
        )
    return _respond(response, public=not paper.is_exempt and meeting.agenda_is_public)


@require_safe
def minutes_page(request: HttpRequest, body_slug: str, key: str) -> HttpResponse:
    """The summary minutes as an accessible HTML page (the public reads them here first)."""
    meeting = meeting_for(request.user, body_slug, key)
    if not can_see_minutes(request.user, meeting):
        raise _refuse(request)
    minutes = build_minutes(meeting)
    versions = list(meeting.stored_documents.filter(kind=Kind.MINUTES).order_by("-version"))
    response = render(
        request,
        "reports/minutes_page.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "versions": versions,
            "draft": not meeting.minutes_are_public,
        },
    )
    if not meeting.minutes_are_public:
        patch_cache_control(response, private=True, no_cache=True)
    return response
