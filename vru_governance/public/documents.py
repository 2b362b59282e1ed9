"""Thin views over the documents: check access (meetings/access.py), serve what is stored.

A published document is always served as stored (frozen when published; one never frozen is
frozen by a job, the reader told meanwhile that it is being prepared: reports/freeze_jobs.py).
Only drafts, for those who may see them, and the chair's brief are rendered for a request, in
worker processes with a hard time limit (reports.documents.render.rendered_in_workers)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from meetings.access import (
    can_see_body_records,
    can_see_minutes,
    can_see_paper,
    is_secretary,
    is_signed_in,
    meeting_for,
)
from meetings.models import Meeting
from reports.documents.actions_arising import render_actions_arising
from reports.documents.chair_brief import render_chair_brief
from reports.documents.minutes import build_minutes, minutes_html, render_minutes
from reports.documents.pack import Audience, build_pack
from reports.documents.paper_files import render_draft_paper
from reports.documents.papers import build_paper, paper_html
from reports.documents.render import Rendered, rendered_in_workers
from reports.documents.worker_processes import RenderFailed
from reports.freeze_jobs import ask_to_freeze
from reports.models import Paper, StoredDocument
from reports.services import stored_paper

Kind = StoredDocument.Kind
R = TypeVar("R", bound=HttpResponseBase)
# The kinds as they appear in URLs (/documents/2/partners-pack.pdf).
# How long a page saying a document is being prepared waits before it reloads itself.
RETRY_SECONDS = 5
KIND_SLUGS = {kind.value.replace("_", "-"): kind for kind in Kind}


def _refuse(request: HttpRequest) -> Exception:
    """404 for the public (no hint that something is there), 403 for signed-in users. A
    session still to give its second factor is answered as the public is."""
    if is_signed_in(request.user):
        return PermissionDenied("You may not see this document.")
    return Http404("No such document.")


def _check(request: HttpRequest, meeting: Meeting, kind: str) -> None:
    """The agenda's documents follow the agenda (meeting_for); the rest have their own rule."""
    partners_only = kind in (Kind.PARTNERS_PACK, Kind.PARTNERS_AGENDA)
    if partners_only and not can_see_body_records(request.user, meeting.body):
        raise _refuse(request)
    if kind == Kind.MINUTES and not can_see_minutes(request.user, meeting):
        raise _refuse(request)


def _is_public(meeting: Meeting, kind: str) -> bool:
    if kind in (Kind.PARTNERS_PACK, Kind.PARTNERS_AGENDA):
        return False
    if kind == Kind.MINUTES:
        return meeting.minutes_are_public
    return meeting.agenda_is_public


def _filename(meeting: Meeting, kind: str, version: int | None = None) -> str:
    suffix = f"-v{version}" if version else ""
    return f"{meeting.body.slug}-{meeting.key}-{kind.replace('_', '-')}{suffix}.pdf"


def _respond(response: R, public: bool) -> R:
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _stored_response(
    request: HttpRequest,
    document: StoredDocument,
    meeting: Meeting,
    *,
    filename: str = "",
    public: bool | None = None,
) -> HttpResponseBase:
    """The stored bytes, with their SHA-256 as ETag: 304 when the client has them already.

    A withdrawn version (it held a paper since classified exempt) is the secretaries' only."""
    if document.withdrawn_at is not None:
        if not is_secretary(request.user, meeting.body):
            raise Http404("This version was withdrawn.")
        public = False
    if public is None:
        public = _is_public(meeting, document.kind)
    return stored_file_response(
        request,
        document.file,
        document.sha256,
        filename=filename or _filename(meeting, document.kind, document.version),
        public=public,
    )


def stored_file_response(
    request: HttpRequest, file: FieldFile, sha256: str, *, filename: str, public: bool
) -> HttpResponseBase:
    """A stored PDF with its SHA-256 as ETag: 304 when the client has those bytes already."""
    etag = f'"{sha256}"'
    tags = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in tags or "*" in tags:
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = FileResponse(
            file.open("rb"), content_type="application/pdf", as_attachment=False, filename=filename
        )
    response["ETag"] = etag
    return _respond(response, public)


def _live(meeting: Meeting, kind: str) -> Rendered:
    """Render a draft from the records, for those who may see it: in worker processes with
    a hard time limit (rendered_in_workers), the request's only render."""
    with rendered_in_workers() as pool:
        if kind == Kind.AGENDA:
            rendered = build_pack(meeting, Audience.PUBLIC, with_pack=False, pool=pool).agenda
        elif kind == Kind.PACK:
            rendered = build_pack(meeting, Audience.PUBLIC, with_agenda=False, pool=pool).pack
        elif kind == Kind.PARTNERS_PACK:
            rendered = build_pack(meeting, Audience.PARTNERS, with_agenda=False, pool=pool).pack
        elif kind == Kind.PARTNERS_AGENDA:
            rendered = build_pack(meeting, Audience.PARTNERS, with_pack=False, pool=pool).agenda
        elif kind == Kind.ACTIONS_ARISING:
            rendered = render_actions_arising(meeting)
        else:
            rendered = render_minutes(meeting)
    assert rendered is not None
    return rendered


def _is_published(meeting: Meeting, kind: str) -> bool:
    """The document is published: it is frozen, never rendered for a request."""
    return meeting.minutes_are_public if kind == Kind.MINUTES else meeting.agenda_is_public


def _being_prepared(request: HttpRequest, meeting: Meeting, title: str) -> HttpResponse:
    """202 while the job freezes a published document never frozen (reports/freeze_jobs.py)."""
    response = render(
        request,
        "public/document_pending.html",
        {"body": meeting.body, "meeting": meeting, "title": title, "retry_seconds": RETRY_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    patch_cache_control(response, no_cache=True, no_store=True)
    return response


def _rendered_now(
    request: HttpRequest, meeting: Meeting, filename: str, make: Callable[[], Rendered]
) -> HttpResponseBase:
    """A draft (or the chair's brief) rendered for this reader, private; a render past the
    workers' time limit (or a worker that died) is answered 503 with the reason."""
    try:
        rendered = make()
    except RenderFailed as exc:
        response = render(
            request,
            "public/document_failed.html",
            {"body": meeting.body, "meeting": meeting, "reason": " ".join(exc.messages)},
            status=503,
        )
        response["Retry-After"] = str(RETRY_SECONDS * 12)
        return _respond(response, public=False)
    response = FileResponse(
        io.BytesIO(rendered.pdf), content_type="application/pdf", filename=filename
    )
    return _respond(response, public=False)


def _document(request: HttpRequest, body_slug: str, key: str, kind: str) -> HttpResponseBase:
    meeting = meeting_for(request.user, body_slug, key)
    _check(request, meeting, kind)
    stored = meeting.stored_documents.filter(kind=kind).order_by("-version").first()
    if stored is not None:
        return _stored_response(request, stored, meeting)
    if _is_published(meeting, kind):
        ask_to_freeze(meeting, kind)
        return _being_prepared(request, meeting, Kind(kind).label)
    return _rendered_now(request, meeting, _filename(meeting, kind), lambda: _live(meeting, kind))


@require_safe
def agenda_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    return _document(request, body_slug, key, Kind.AGENDA)


@require_safe
def pack_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    return _document(request, body_slug, key, Kind.PACK)


@require_safe
def partners_pack_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    return _document(request, body_slug, key, Kind.PARTNERS_PACK)


@require_safe
def partners_agenda_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    """The agenda whose page references are those of the partners' pack."""
    return _document(request, body_slug, key, Kind.PARTNERS_AGENDA)


@require_safe
def chair_brief_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    """The chair's brief: partners and secretaries only, always rendered from the records."""
    meeting = meeting_for(request.user, body_slug, key)
    if not can_see_body_records(request.user, meeting.body):
        raise _refuse(request)

    def brief() -> Rendered:
        with rendered_in_workers():
            return render_chair_brief(meeting)

    return _rendered_now(request, meeting, _filename(meeting, "chairs_brief"), brief)


@require_safe
def minutes_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    return _document(request, body_slug, key, Kind.MINUTES)


@require_safe
def actions_arising_pdf(request: HttpRequest, body_slug: str, key: str) -> HttpResponseBase:
    return _document(request, body_slug, key, Kind.ACTIONS_ARISING)


@require_safe
def stored_document(
    request: HttpRequest, body_slug: str, key: str, version: int, kind: str
) -> HttpResponseBase:
    """A given stored version: corrections never replace what was published before."""
    meeting = meeting_for(request.user, body_slug, key)
    if kind not in KIND_SLUGS:
        raise Http404("No such document.")
    kind = KIND_SLUGS[kind]
    _check(request, meeting, kind)
    document = meeting.stored_documents.filter(kind=kind, version=version).first()
    if document is None:
        raise Http404("No such version.")
    return _stored_response(request, document, meeting)


def _paper_of(request: HttpRequest, meeting: Meeting, paper_key: str) -> Paper:
    """A paper of the meeting the user may see, else 404."""
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
        # 404 for everyone, as for a paper that does not exist: a paper's key comes from its
        # title, so a 403 would confirm a guessed title of an exempt paper.
        raise Http404("No such paper.")
    return paper


@require_safe
def paper_pdf(request: HttpRequest, body_slug: str, key: str, paper_key: str) -> HttpResponseBase:
    """One paper: the uploaded file as uploaded, or an authored paper rendered."""
    meeting = meeting_for(request.user, body_slug, key)
    paper = _paper_of(request, meeting, paper_key)
    filename = f"{meeting.body.slug}-{meeting.key}-{paper.key}.pdf"
    partners = can_see_body_records(request.user, meeting.body)
    if meeting.agenda_is_public:
        document = stored_paper(paper, partners=partners)
        if document is None:
            ask_to_freeze(meeting, Kind.PAPER, paper)
            return _being_prepared(request, meeting, paper.title)
        return _stored_response(
            request, document, meeting, filename=filename, public=not paper.is_exempt
        )
    # A draft agenda's paper, for those who may see drafts: as it will be frozen, marked DRAFT.

    def draft() -> Rendered:
        with rendered_in_workers() as pool:
            return render_draft_paper(meeting, paper, pool)

    return _rendered_now(request, meeting, filename, draft)


@require_safe
def paper_page(request: HttpRequest, body_slug: str, key: str, paper_key: str) -> HttpResponse:
    """A paper written by section as an accessible HTML page (its PDF in addition), read from
    the snapshot its frozen copy was rendered from: the page and the PDF never disagree.
    An uploaded paper has none (its PDF is the paper); an exempt one only for partners."""
    meeting = meeting_for(request.user, body_slug, key)
    paper = _paper_of(request, meeting, paper_key)
    if paper.file:
        raise Http404("An uploaded paper has no web page: open its PDF.")
    partners = can_see_body_records(request.user, meeting.body)
    document = None
    if meeting.agenda_is_public:
        document = stored_paper(paper, partners=partners)
        if document is None:  # shown from the records meanwhile (below)
            ask_to_freeze(meeting, Kind.PAPER, paper)
    if document is not None and document.html:
        # Reviewed: the HTML stored when the paper was frozen, which paper_html made
        # (autoescaped; typed text through render_markdown).
        html = mark_safe(document.html)  # noqa: S308  # nosec B703, B308
        title = document.facts.get("title", paper.title)
    else:
        # A draft agenda's paper (for those who may see drafts), or a copy frozen before
        # snapshots were kept: from the records, as its PDF was rendered.
        html = paper_html(build_paper(paper, meeting, partners=partners))
        title = paper.title
    response = render(
        request,
        "reports/paper_page.html",
        {
            "body": meeting.body,
            "meeting": meeting,
            "key": paper.key,
            "title": title,
            "paper_html": html,
            "document": document,
            "draft": not meeting.agenda_is_public,
            "exempt": paper.is_exempt,
        },
    )
    if paper.is_exempt or not meeting.agenda_is_public:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def minutes_page(request: HttpRequest, body_slug: str, key: str) -> HttpResponse:
    """The summary minutes as an accessible HTML page (the public reads them here first)."""
    meeting = meeting_for(request.user, body_slug, key)
    if not can_see_minutes(request.user, meeting):
        raise _refuse(request)
    versions = list(meeting.stored_documents.filter(kind=Kind.MINUTES).order_by("-version"))
    # Published minutes are read from the frozen snapshot of their latest version, the same
    # one its PDF was rendered from; drafts (and minutes frozen before snapshots) live.
    frozen = versions[0].html if versions and meeting.minutes_are_public else ""
    # Reviewed: the HTML stored when the minutes were frozen, which minutes_html made (autoescaped).
    html = mark_safe(frozen) if frozen else minutes_html(build_minutes(meeting))  # noqa: S308  # nosec B703, B308
    response = render(
        request,
        "reports/minutes_page.html",
        {
            # The body gives the page the site's menu and feeds (templates/public/_layout.html).
            "body": meeting.body,
            "meeting": meeting,
            "minutes_html": html,
            "versions": versions,
            "draft": not meeting.minutes_are_public,
        },
    )
    if not meeting.minutes_are_public:
        patch_cache_control(response, private=True, no_cache=True)
    return response
