"""Thin views over the documents: check access (meetings/access.py), serve stored or render."""

from __future__ import annotations

import io
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
from reports.documents.render import Rendered
from reports.models import Paper, StoredDocument
from reports.services import frozen_paper

Kind = StoredDocument.Kind
R = TypeVar("R", bound=HttpResponseBase)
# The kinds as they appear in URLs (/documents/2/partners-pack.pdf).
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
    """Render from the records: drafts for those who may see them, or nothing frozen yet."""
    if kind == Kind.AGENDA:
        rendered = build_pack(meeting, Audience.PUBLIC, with_pack=False).agenda
    elif kind == Kind.PACK:
        rendered = build_pack(meeting, Audience.PUBLIC, with_agenda=False).pack
    elif kind == Kind.PARTNERS_PACK:
        rendered = build_pack(meeting, Audience.PARTNERS, with_agenda=False).pack
    elif kind == Kind.PARTNERS_AGENDA:
        rendered = build_pack(meeting, Audience.PARTNERS, with_pack=False).agenda
    elif kind == Kind.ACTIONS_ARISING:
        rendered = render_actions_arising(meeting)
    else:
        rendered = render_minutes(meeting)
    assert rendered is not None
    return rendered


def _document(request: HttpRequest, body_slug: str, key: str, kind: str) -> HttpResponseBase:
    meeting = meeting_for(request.user, body_slug, key)
    _check(request, meeting, kind)
    stored = meeting.stored_documents.filter(kind=kind).order_by("-version").first()
    if stored is not None:
        return _stored_response(request, stored, meeting)
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
    rendered = render_chair_brief(meeting)
    response = FileResponse(
        io.BytesIO(rendered.pdf),
        content_type="application/pdf",
        as_attachment=False,
        filename=_filename(meeting, "chairs_brief"),
    )
    return _respond(response, public=False)


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
        document = frozen_paper(meeting, paper, partners=partners)
        return _stored_response(
            request, document, meeting, filename=filename, public=not paper.is_exempt
        )
    # A draft agenda's paper, for those who may see drafts: as it will be frozen, marked DRAFT.
    rendered = render_draft_paper(meeting, paper)
    response = FileResponse(
        io.BytesIO(rendered.pdf),
        content_type="application/pdf",
        as_attachment=False,
        filename=filename,
    )
    return _respond(response, public=False)


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
        document = frozen_paper(meeting, paper, partners=partners)
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
