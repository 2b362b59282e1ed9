"""Freezing documents on publication: rendered once, stored with their SHA-256, versioned."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from reports.ahead_jobs import minutes_frozen
from reports.annual_pdf import annual_pdfs_changed
from reports.documents.actions_arising import (
    render_actions_arising,
    report_actions,
    reports_reused,
)
from reports.documents.facts import agenda_facts
from reports.documents.minutes import render_minutes
from reports.documents.pack import Audience, Part, build_pack
from reports.documents.paper_files import paper_audiences, render_paper_files
from reports.documents.parts import workers
from reports.documents.render import Correction, Rendered
from reports.documents.workers import Pool
from reports.models import Paper, StoredDocument
from vru_governance.rules.formats import short_date

Kind = StoredDocument.Kind

# What is frozen when the agenda is published, and when the minutes are. PAPER stands for
# every paper of the meeting, each frozen per audience (paper_files.paper_audiences).
AGENDA_KINDS: tuple[str, ...] = (
    Kind.AGENDA,
    Kind.PACK,
    Kind.PARTNERS_PACK,
    Kind.PARTNERS_AGENDA,
    Kind.ACTIONS_ARISING,
    Kind.PAPER,
)
MINUTES_KINDS: tuple[str, ...] = (Kind.MINUTES,)


def latest_versions(meeting: Meeting) -> dict[str, StoredDocument]:
    """The newest stored version of each kind of document of a meeting (papers apart)."""
    latest: dict[str, StoredDocument] = {}
    for document in meeting.stored_documents.exclude(kind=Kind.PAPER).order_by("kind", "version"):
        latest[document.kind] = document
    return latest


def latest_paper_versions(meeting: Meeting) -> dict[tuple[int, str], StoredDocument]:
    """The newest stored copy of each paper of a meeting, by (paper id, audience)."""
    latest: dict[tuple[int, str], StoredDocument] = {}
    stored = meeting.stored_documents.filter(kind=Kind.PAPER).order_by(
        "paper", "audience", "version"
    )
    for document in stored:
        latest[(document.paper_id, document.audience)] = document
    return latest


def _check_publishable(meeting: Meeting, kinds: list[str]) -> None:
    if any(k != Kind.MINUTES for k in kinds) and not meeting.agenda_is_public:
        raise ValidationError(
            f"The agenda of {meeting} is not published ({meeting.get_status_display()}); "
            "its documents are frozen when it is."
        )
    if Kind.MINUTES in kinds and not meeting.minutes_are_public:
        raise ValidationError(
            f"The minutes of {meeting} are not published ({meeting.get_status_display()}); "
            "they are frozen when they are."
        )


@dataclass
class _Rendering:
    """What one freeze renders: documents by kind, papers by id."""

    documents: dict[str, Rendered] = field(default_factory=dict)
    papers: dict[int, Rendered] = field(default_factory=dict)


def _render(
    meeting: Meeting,
    kinds: list[str],
    corrections: dict[str, Correction],
    papers: list[Paper],
    paper_corrections: dict[int, Correction] | None = None,
) -> _Rendering:
    """Render each kind asked for in one pool, as published: the public pack once for the
    agenda and the pack; each paper from its part of the partners' pack when that pack is
    rendered too."""
    out = _Rendering()
    rendered = out.documents
    with Pool(workers()) as pool, reports_reused():
        if Kind.AGENDA in kinds or Kind.PACK in kinds:
            correction = corrections.get(Kind.PACK) or corrections.get(Kind.AGENDA)
            result = build_pack(
                meeting,
                Audience.PUBLIC,
                correction=correction,
                with_pack=Kind.PACK in kinds,
                with_agenda=Kind.AGENDA in kinds,
                pool=pool,
                draft=False,
            )
            if result.pack is not None:
                rendered[Kind.PACK] = result.pack
            if result.agenda is not None:
                rendered[Kind.AGENDA] = result.agenda
                # Read in the same transaction, the meeting's row locked: the page's facts.
                result.agenda.extra["facts"] = agenda_facts(meeting, partners=False)
        paper_parts: dict[int, Part] = {}
        if Kind.PARTNERS_PACK in kinds or Kind.PARTNERS_AGENDA in kinds:
            # The partners' agenda gives the page references of the partners' pack.
            correction = corrections.get(Kind.PARTNERS_PACK) or corrections.get(
                Kind.PARTNERS_AGENDA
            )
            result = build_pack(
                meeting,
                Audience.PARTNERS,
                correction=correction,
                with_pack=Kind.PARTNERS_PACK in kinds,
                with_agenda=Kind.PARTNERS_AGENDA in kinds,
                pool=pool,
                draft=False,
            )
            if result.pack is not None:
                rendered[Kind.PARTNERS_PACK] = result.pack
            if result.agenda is not None:
                rendered[Kind.PARTNERS_AGENDA] = result.agenda
                result.agenda.extra["facts"] = agenda_facts(meeting, partners=True)
            paper_parts = {p.paper.pk: p for p in result.parts if p.paper is not None}
        if papers:
            out.papers = render_paper_files(
                meeting, papers, pool=pool, parts=paper_parts, corrections=paper_corrections
            )
        if Kind.ACTIONS_ARISING in kinds:
            rendered[Kind.ACTIONS_ARISING] = render_actions_arising(
                meeting, correction=corrections.get(Kind.ACTIONS_ARISING), draft=False
            )
    if Kind.MINUTES in kinds:
        rendered[Kind.MINUTES] = render_minutes(meeting, correction=corrections.get(Kind.MINUTES))
    return out


def join_ahead(meeting: Meeting) -> None:
    """Render and join every document publishing the agenda will freeze, as it will be
    published, into the part cache, with nothing stored (a job's work, before the Publish
    button: reports/publishing.py). The freeze then finds each joined document there while
    nothing it prints has changed, and stores it as it is."""
    papers = list(
        Paper.objects.filter(item__meeting=meeting)
        .select_related("item")
        .order_by("item__position", "position", "pk")
    )
    for paper in papers:
        paper.item.meeting = meeting
    kinds = [k for k in AGENDA_KINDS if k != Kind.PAPER]
    _render(meeting, kinds, {}, papers)


def _store(
    meeting: Meeting,
    kind: str,
    result: Rendered,
    *,
    version: int,
    correction_note: str,
    user: User | None,
    paper: Paper | None = None,
    audience: str = "",
) -> StoredDocument:
    document = StoredDocument(
        meeting=meeting,
        kind=kind,
        paper=paper,
        audience=audience,
        version=version,
        sha256=hashlib.sha256(result.pdf).hexdigest(),
        size=len(result.pdf),
        pages=result.pages,
        is_correction=bool(correction_note),
        correction_note=correction_note,
        # The HTML of the same snapshot (the minutes and paper pages read it), and the facts
        # the meeting page shows: HTML and PDF agree.
        html=result.extra.get("html", ""),
        facts=result.extra.get("facts", {}),
        created_by=user,
    )
    document.file.save(f"{kind}-v{version}.pdf", ContentFile(result.pdf), save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def freeze_documents(
    meeting: Meeting,
    kinds: Iterable[str],
    *,
    correction_note: str = "",
    user: User | None = None,
    papers: Iterable[Paper] | None = None,
) -> list[StoredDocument]:
    """Store each kind of document once; with a correction note, store a new version of each.

    Idempotent without a note: a kind already stored is returned as it is. Kind PAPER freezes
    each paper of the meeting (or only `papers`, when given) for each of its audiences; with a
    note, a new version of each, so a correction re-freezes the papers it changed. Call it
    after the meeting's status says the agenda (or minutes) is published, inside the same
    transaction.
    """
    kinds = list(dict.fromkeys(Kind(k) for k in kinds))
    correction_note = correction_note.strip()
    # One freeze at a time per meeting (PostgreSQL locks the row; SQLite the database).
    locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _check_publishable(locked, kinds)
    if getattr(settings, "DOCUMENTS_RENDER_AHEAD", False):
        # The year's figures may change with what is frozen: its annual report is re-rendered
        # by a job once this commits, so that readers find it stored (reports/annual_pdf.py).
        annual_pdfs_changed(locked.body, {locked.date.year})
        if Kind.MINUTES in kinds:
            minutes_frozen(locked)
    latest = latest_versions(locked)
    meeting_kinds = [k for k in kinds if k != Kind.PAPER]
    todo = [k for k in meeting_kinds if k not in latest or correction_note]
    today = short_date(timezone.localdate())
    corrections = {
        k: Correction(
            version=latest[k].version + 1,
            replaces=latest[k].version,
            note=correction_note,
            date=today,
        )
        for k in todo
        if k in latest
    }
    wanted: list[tuple[Paper, str]] = []
    latest_papers: dict[tuple[int, str], StoredDocument] = {}
    if Kind.PAPER in kinds:
        latest_papers = latest_paper_versions(locked)
        chosen = (
            Paper.objects.filter(item__meeting=locked)
            .select_related("item")
            .order_by("item__position", "position", "pk")
        )
        if papers is not None:
            chosen = chosen.filter(pk__in=[p.pk for p in papers])
        for paper in chosen:
            paper.item.meeting = locked
            wanted += [(paper, audience) for audience in paper_audiences(paper)]
    paper_todo = [
        (paper, audience)
        for paper, audience in wanted
        if (paper.pk, audience) not in latest_papers or correction_note
    ]
    to_render = list(dict.fromkeys(p for p, _ in paper_todo))
    # A paper frozen before opens its corrected copy with the correction's page.
    paper_corrections = {}
    for paper in to_render:
        before = [d.version for (pk, _), d in latest_papers.items() if pk == paper.pk]
        if before and correction_note:
            paper_corrections[paper.pk] = Correction(
                version=max(before) + 1, replaces=max(before), note=correction_note, date=today
            )
    rendered = _render(locked, todo, corrections, to_render, paper_corrections)
    stored = []
    for kind in meeting_kinds:
        if kind not in todo:
            stored.append(latest[kind])
            continue
        previous = latest.get(kind)
        version = (
            locked.stored_documents.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        stored.append(
            _store(
                locked,
                kind,
                rendered.documents[kind],
                version=version,
                correction_note=correction_note if previous is not None else "",
                user=user,
            )
        )
    for paper, audience in wanted:
        previous = latest_papers.get((paper.pk, audience))
        if previous is not None and not correction_note:
            stored.append(previous)
        else:
            stored.append(
                _store(
                    locked,
                    Kind.PAPER,
                    rendered.papers[paper.pk],
                    version=previous.version + 1 if previous else 1,
                    correction_note=correction_note if previous is not None else "",
                    user=user,
                    paper=paper,
                    audience=audience,
                )
            )
    return stored


def stored_paper(paper: Paper, *, partners: bool) -> StoredDocument | None:
    """The newest frozen copy of a paper for partners or the public, if frozen (one query).

    None for a paper with no copy yet (a supplement added since, or an agenda published
    before papers were frozen): the views ask reports/freeze_jobs.py to freeze it."""
    audience = StoredDocument.Audience.PARTNERS if partners else StoredDocument.Audience.PUBLIC
    if paper.is_exempt and not partners:
        raise ValidationError(f"'{paper.title}' is exempt: it has no public copy.")
    copies = StoredDocument.objects.filter(kind=Kind.PAPER, paper=paper, audience=audience)
    return copies.order_by("-version").first()


def reissue_reports_listing(
    action_id: int, *, correction_note: str, user: User | None = None
) -> list[Meeting]:
    """A correction of an action (its owners or wording) re-issues every later meeting's
    frozen actions-arising report that printed it, and the packs the report is part of: a new
    version of each with the correction's note. Each report still gives the action's status
    as at its own meeting (action_status.report_moment); only the corrected fact changes.
    Returns the meetings re-issued, oldest first."""
    origin = Meeting.objects.filter(actions__pk=action_id).values_list("body_id", "date").first()
    if origin is None:
        return []
    later = (
        Meeting.objects.filter(
            body_id=origin[0],
            date__gt=origin[1],
            stored_documents__kind__in=(Kind.ACTIONS_ARISING, Kind.PACK, Kind.PARTNERS_PACK),
        )
        .distinct()
        .order_by("date", "pk")
    )
    reissued = []
    for meeting in later:
        if not meeting.agenda_is_public:
            continue
        stored = set(meeting.stored_documents.values_list("kind", flat=True))
        public = any(a.pk == action_id for a, _ in report_actions(meeting))
        partners = any(a.pk == action_id for a, _ in report_actions(meeting, partners=True))
        # The packs carry the generated report unless the secretary attached one instead.
        in_pack = AgendaItem.objects.filter(
            meeting=meeting, kind=AgendaItem.Kind.ACTIONS_ARISING, papers__isnull=True
        ).exists()
        kinds = [
            kind
            for kind, printed in (
                (Kind.ACTIONS_ARISING, public),
                (Kind.PACK, public and in_pack),
                (Kind.PARTNERS_PACK, partners and in_pack),
            )
            if printed and kind in stored
        ]
        if kinds:
            freeze_documents(meeting, kinds, correction_note=correction_note, user=user)
            reissued.append(meeting)
    return reissued
