"""Partners' private notes on papers: written, changed, deleted and exported by their author only.

A note is its author's alone: nothing here takes a user other than the author, and no screen
of the secretariat, no export of the records and no API reads PaperNote. backup/restore keep
the notes (vru_governance/records/backup.py), the one place they leave the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from meetings import access
from meetings.access import AnyUser
from reports.models import Paper, PaperNote
from vru_governance.rules.versions import EditConflict, check_version

MAX_NOTE = 20000


def _check_may_note(user: AnyUser, paper: Paper) -> None:
    if not user.is_authenticated or not access.can_see_paper(user, paper):
        raise ValidationError("You can keep notes only on papers you can see.")


def notes_of(user: AnyUser) -> QuerySet[PaperNote]:
    """The user's own notes, newest meeting first, with what the list and export print."""
    if not user.is_authenticated:
        return PaperNote.objects.none()
    return (
        PaperNote.objects.filter(author=user)
        .select_related("paper__item__meeting__body")
        .order_by("-paper__item__meeting__date", "paper__item__position", "paper__position")
    )


def note_on(user: AnyUser, paper: Paper) -> PaperNote | None:
    """The user's note on the paper, if they keep one."""
    if not user.is_authenticated:
        return None
    return PaperNote.objects.filter(paper=paper, author=user).first()


def save_note(*, user: AnyUser, paper: Paper, text: str, version: int | None) -> PaperNote:
    """Write or change the user's note on a paper they can see.

    version is the note's version the form was opened with (0 for no note yet); a note
    changed on another device since is refused with EditConflict, and nothing is lost."""
    _check_may_note(user, paper)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note, or delete it."})
    if len(text) > MAX_NOTE:
        raise ValidationError(
            {"text": f"A note holds at most {MAX_NOTE} characters; this one has {len(text)}."}
        )
    try:
        with transaction.atomic():
            note = PaperNote.objects.select_for_update().filter(paper=paper, author=user).first()
            if note is None:
                # (A note deleted on another device meanwhile: writing it again loses nothing.)
                note = PaperNote(paper=paper, author=user, text=text, version=1)
                note.full_clean()
                note.save()
                return note
            check_version(note, version, "your note on this paper (on another device?)")
            note.text = text
            note.version += 1
            note.full_clean()
            note.save()
            return note
    except IntegrityError as exc:
        # Two devices wrote the first version at the same moment.
        current = note_on(user, paper)
        raise EditConflict(
            "You saved a note on this paper from another device at the same moment, so this "
            "one was not saved. Review it beside the saved one and save again.",
            current=current.version if current else None,
        ) from exc


def delete_note(*, user: AnyUser, paper: Paper, version: int | None) -> bool:
    """Delete the user's note on the paper; False when there was none."""
    with transaction.atomic():
        note = PaperNote.objects.select_for_update().filter(paper=paper, author=user).first()
        if note is None:
            return False
        check_version(note, version, "your note on this paper", typed=False)
        note.delete()
        return True


def delete_all_notes(*, user: AnyUser) -> int:
    """Delete every note the user keeps (on request); how many were deleted."""
    if not user.is_authenticated:
        return 0
    deleted, _ = PaperNote.objects.filter(author=user).delete()
    return deleted


def _where(note: PaperNote) -> dict[str, str]:
    paper = note.paper
    meeting = paper.item.meeting
    return {
        "body": meeting.body.name,
        "meeting": meeting.date.isoformat(),
        "item": paper.item.number,
        "paper": paper.title,
    }


def export_json(notes: Iterable[PaperNote]) -> str:
    """The author's notes as a JSON document (their own download)."""
    rows = [
        _where(note) | {"note": note.text, "updated_at": note.updated_at.isoformat()}
        for note in notes
    ]
    return json.dumps({"format": "vru-governance-my-notes/1", "notes": rows}, indent=2) + "\n"


def _md_line(value: str) -> str:
    # A title is printed on one heading line: line breaks would start a new block.
    return " ".join(value.split())


def export_markdown(notes: Iterable[PaperNote]) -> str:
    """The author's notes as Markdown, one section per paper."""
    parts = ["# My notes on papers\n"]
    for note in notes:
        where = _where(note)
        parts.append(
            f"\n## {_md_line(where['paper'])}\n\n"
            f"{_md_line(where['body'])}, meeting of {where['meeting']}, item {where['item']}. "
            f"Last changed {note.updated_at:%Y-%m-%d %H:%M}.\n\n{note.text.strip()}\n"
        )
    return "".join(parts)
