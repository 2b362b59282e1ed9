"""Workflows on a meeting's papers: adding and changing them, with their uploaded PDF, and
withdrawing a published one as exempt.

A workflow is one transaction, locks the agenda item first, runs the model's full_clean() and
raises ValidationError (EditConflict for a stale form).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from meetings import lifecycle, lock_scope
from meetings.models import AgendaItem, Meeting
from meetings.services.corrections import record_correction
from reports.models import Paper, StoredDocument
from reports.publishing import render_paper_ahead
from vru_governance.rules.versions import check_version


def unique_paper_key(item: AgendaItem, title: str, exclude: int | None = None) -> str:
    base = slugify(title)[:70] or "paper"
    key, n = base, 1
    while item.papers.exclude(pk=exclude).filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def save_paper(
    paper: Paper, *, upload: UploadedFile | None = None, version: int | None = None
) -> Paper:
    """Add or change a paper; one added after the agenda was published is a supplement.

    A change made from a form opened before someone else saved the paper is refused
    (EditConflict): `version` is the paper's version the form was opened with."""
    try:
        # The item's row: new papers of an item take their keys and places one at a time, and
        # an item being removed (remove_item locks it too) sees the paper.
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("meeting__body")
            .get(pk=paper.item_id)
        )
    except AgendaItem.DoesNotExist:
        raise ValidationError(
            "The agenda item was removed while you were writing, so the paper was not saved. "
            "What you typed is shown below: copy it before leaving the page."
        ) from None
    if paper.pk is None:
        paper.item = item
        paper.key = unique_paper_key(item, paper.title)
        paper.position = item.papers.count()
        paper.supplement = item.meeting.agenda_is_public
    else:
        saved = Paper.objects.select_for_update().filter(pk=paper.pk).first()
        if saved is None:
            raise ValidationError(
                "Someone else removed this paper while you were editing it, so it was not "
                "saved. What you typed is shown below: copy it before leaving the page."
            )
        check_version(saved, version, f"the paper '{saved.title}'")
        paper.version = saved.version + 1
    if upload is not None:
        if paper.pk is not None:
            # Refused before the new file reaches the storage, not after: a published paper's
            # file is never overwritten, nor an orphan left beside it.
            lifecycle.check_replacing(paper, "file")
        # The stored name is rebuilt from the paper's key (reports.models.paper_upload_to).
        paper.file.save(f"{paper.key}.pdf", upload, save=False)
    paper.full_clean()
    paper.save()
    # Its parts of the two packs, rendered by a job after the commit: publishing finds them.
    render_paper_ahead(paper)
    return paper


@transaction.atomic
def withdraw_paper_as_exempt(
    paper: Paper,
    *,
    exemption_section: str,
    exemption_reason: str,
    review_on: dt.date,
    reason: str,
    user: User | None,
    version: int | None = None,
) -> Paper:
    """Reclassify a paper of a published agenda as exempt, as a correction.

    The agenda's documents are issued again without it, and every earlier public version
    that held it (the public packs, the paper's public copies) is withdrawn: kept for the
    record and shown to the body's secretaries, never served to anyone else."""
    locked = Paper.objects.select_for_update().select_related("item__meeting").get(pk=paper.pk)
    check_version(locked, version, "the paper")
    if locked.is_exempt:
        raise ValidationError("The paper is already exempt from publication.")
    meeting = locked.item.meeting
    earlier = list(meeting.stored_documents.values_list("pk", flat=True))

    def change(m: Meeting) -> Paper:
        locked.classification = Paper.Classification.EXEMPT
        locked.exemption_section = exemption_section.strip()
        locked.exemption_reason = exemption_reason.strip()
        locked.exemption_review_on = review_on
        locked.version += 1
        locked.full_clean()
        locked.save()
        return locked

    result = record_correction(
        meeting,
        what=f"the classification of '{locked.title}'",
        reason=reason,
        user=user,
        change=change,
        stages=[lock_scope.AGENDA],
        before="Public",
        after=f"Exempt from publication ({exemption_section.strip()})",
    )
    Kind, Audience = StoredDocument.Kind, StoredDocument.Audience
    # A bulk update of documents, not of the records the lifecycle policy names.
    StoredDocument.objects.filter(pk__in=earlier, withdrawn_at__isnull=True).filter(
        Q(kind=Kind.PACK) | Q(kind=Kind.PAPER, paper=locked, audience=Audience.PUBLIC)
    ).update(
        withdrawn_at=timezone.now(),
        withdrawn_note=f"It held '{locked.title}', since classified exempt: {reason.strip()}",
    )
    return result
