"""The partners' private notes in a backup (``notes.json``), and back on restore.

The records format never carries them (export_records and the API are read by others); a
backup is the operator's copy of the whole site, so it keeps them, each named by its paper
(body, meeting, item number, paper key) and its author's username.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from reports.models import Paper, PaperNote

NOTES_FORMAT = "vru-governance-notes/1"


def backup_notes(body_slug: str | None = None) -> dict[str, Any]:
    """Every note (of one body's papers, if given) as the notes.json document."""
    notes = PaperNote.objects.select_related("paper__item__meeting__body", "author").order_by("pk")
    if body_slug:
        notes = notes.filter(paper__item__meeting__body__slug=body_slug)
    rows = []
    for note in notes:
        meeting = note.paper.item.meeting
        rows.append(
            {
                "body": meeting.body.slug,
                "meeting": meeting.key,
                "item": note.paper.item.number,
                "paper": note.paper.key,
                "author": note.author.get_username(),
                "text": note.text,
                "version": note.version,
                "created_at": note.created_at.isoformat(),
                "updated_at": note.updated_at.isoformat(),
            }
        )
    return {"format": NOTES_FORMAT, "notes": rows}


def restore_notes(document: Any) -> list[tuple[str, str]]:
    """Put the notes back (a note already there is kept as it is); the errors found, if any.

    Called inside restore's transaction: any error and nothing at all is restored."""
    if not isinstance(document, dict) or document.get("format") != NOTES_FORMAT:
        return [("notes.json", f"not a {NOTES_FORMAT} document")]
    rows = document.get("notes")
    if not isinstance(rows, list):
        return [("notes.json.notes", "must be a list")]
    users = get_user_model()
    errors: list[tuple[str, str]] = []
    for index, row in enumerate(rows):
        where = f"notes.json.notes[{index}]"
        try:
            error = _restore_one(row, users)
        except (KeyError, TypeError, ValueError) as exc:
            error = f"incomplete or malformed entry ({exc})"
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if error:
            errors.append((where, error))
    return errors


def _restore_one(row: dict[str, Any], users: Any) -> str:
    paper = Paper.objects.filter(
        item__meeting__body__slug=row["body"],
        item__meeting__key=row["meeting"],
        item__number=row["item"],
        key=row["paper"],
    ).first()
    if paper is None:
        return f"{row['body']}/{row['meeting']} item {row['item']} has no paper '{row['paper']}'"
    author = users.objects.filter(**{users.USERNAME_FIELD: row["author"]}).first()
    if author is None:
        # Accounts are not in the backup: losing a partner's notes silently is worse.
        return (
            f"no user account '{row['author']}' for a note on '{paper.title}'; create the "
            "account first and restore again"
        )
    if PaperNote.objects.filter(paper=paper, author=author).exists():
        return ""
    stamps = {}
    for name in ("created_at", "updated_at"):
        stamps[name] = parse_datetime(str(row[name]))
        if stamps[name] is None:
            raise ValueError(f"{name} {row[name]!r} is not a date and time")
    note = PaperNote(paper=paper, author=author, text=str(row["text"]), version=int(row["version"]))
    note.full_clean()
    note.save()
    # The timestamps are set by the database on save: put them back as they were.
    PaperNote.objects.filter(pk=note.pk).update(**stamps)
    return ""
