"""Freezing documents on publication: rendered once, stored with their SHA-256, versioned."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import Meeting
from reports.documents.actions_arising import render_actions_arising
from reports.documents.formats import short_date
from reports.documents.minutes import render_minutes
from reports.documents.pack import Audience, build_pack
from reports.documents.render import Correction, Rendered
from reports.models import StoredDocument

Kind = StoredDocument.Kind

# What is frozen when the agenda is published, and when the minutes are.
AGENDA_KINDS: tuple[str, ...] = (Kind.AGENDA, Kind.PACK, Kind.PARTNERS_PACK, Kind.ACTIONS_ARISING)
MINUTES_KINDS: tuple[str, ...] = (Kind.MINUTES,)


def latest_versions(meeting: Meeting) -> dict[str, StoredDocument]:
    """The newest stored version of each kind of document of a meeting."""
    latest: dict[str, StoredDocument] = {}
    for document in meeting.stored_documents.order_by("kind", "version"):
        latest[document.kind] = document
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


def _render(meeting: Meeting, kinds: list[str], corrections: dict[str, Correction]) -> dict:
    """Render each kind asked for, rendering the public pack once for the agenda and the pack."""
    rendered: dict[str, Rendered] = {}
    if Kind.AGENDA in kinds or Kind.PACK in kinds:
        correction = corrections.get(Kind.PACK) or corrections.get(Kind.AGENDA)
        result = build_pack(
            meeting,
            Audience.PUBLIC,
            correction=correction,
            with_pack=Kind.PACK in kinds,
            with_agenda=Kind.AGENDA in kinds,
        )
        if result.pack is not None:
            rendered[Kind.PACK] = result.pack
        if result.agenda is not None:
            rendered[Kind.AGENDA] = result.agenda
    if Kind.PARTNERS_PACK in kinds:
        result = build_pack(
            meeting,
            Audience.PARTNERS,
            correction=corrections.get(Kind.PARTNERS_PACK),
            with_agenda=False,
        )
        assert result.pack is not None
        rendered[Kind.PARTNERS_PACK] = result.pack
    if Kind.ACTIONS_ARISING in kinds:
        rendered[Kind.ACTIONS_ARISING] = render_actions_arising(
            meeting, correction=corrections.get(Kind.ACTIONS_ARISING)
        )
    if Kind.MINUTES in kinds:
        rendered[Kind.MINUTES] = render_minutes(meeting, correction=corrections.get(Kind.MINUTES))
    return rendered


@transaction.atomic
def freeze_documents(
    meeting: Meeting,
    kinds: Iterable[str],
    *,
    correction_note: str = "",
    user: User | None = None,
) -> list[StoredDocument]:
    """Store each kind of document once; with a correction note, store a new version of each.

    Idempotent without a note: a kind already stored is returned as it is. Call it after the
    meeting's status says the agenda (or minutes) is published, inside the same transaction.
    """
    kinds = list(dict.fromkeys(Kind(k) for k in kinds))
    correction_note = correction_note.strip()
    # One freeze at a time per meeting (PostgreSQL locks the row; SQLite the database).
    locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _check_publishable(locked, kinds)
    latest = latest_versions(locked)
    todo = [k for k in kinds if k not in latest or correction_note]
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
    rendered = _render(locked, todo, corrections)
    stored = []
    for kind in kinds:
        if kind not in todo:
            stored.append(latest[kind])
            continue
        result = rendered[kind]
        previous = latest.get(kind)
        version = (
            locked.stored_documents.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        document = StoredDocument(
            meeting=locked,
            kind=kind,
            version=version,
            sha256=hashlib.sha256(result.pdf).hexdigest(),
            size=len(result.pdf),
            pages=result.pages,
            is_correction=previous is not None,
            correction_note=correction_note if previous is not None else "",
            created_by=user,
        )
        document.file.save(f"{kind}-v{version}.pdf", ContentFile(result.pdf), save=False)
        document.full_clean()
        document.save()
        stored.append(document)
    return stored
