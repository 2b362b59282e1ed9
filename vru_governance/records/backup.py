"""Backups of a board's records and published documents, restored all or nothing.

A backup is a folder: ``records.json`` (the records format, with uploaded paper PDFs
beside it, as ``export_records --output`` writes it) and ``documents.json``, the manifest
of the documents frozen at publication, whose files are copied under ``documents/``.
The records format says nothing of frozen documents; the manifest carries what they need
(meeting, kind, version, SHA-256, size; for a paper's copy also its item number, paper key
and audience) so that a restore serves the very bytes that were published, and refuses a file
whose digest no longer matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.dateparse import parse_datetime

from meetings.models import Meeting
from reports.models import Paper, StoredDocument
from vru_governance.records.backup_notes import backup_notes, restore_notes
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import (
    RecordsError,
    Summary,
    import_records,
    refresh_planner_statistics,
)

MANIFEST_FORMAT = "vru-governance-documents/1"
RECORDS = "records.json"
MANIFEST = "documents.json"
NOTES = "notes.json"
DOCUMENTS = "documents"


def digest(handle: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 (hex) and size in bytes of what the handle reads."""
    sha = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(1 << 16), b""):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


@dataclass(frozen=True)
class BackupSummary:
    bodies: int
    meetings: int
    documents: int

    def describe(self) -> str:
        return (
            f"Backed up {self.bodies} bodies, {self.meetings} meetings and "
            f"{self.documents} published documents."
        )


def backup(directory: Path, body_slug: str | None = None) -> BackupSummary:
    """Write the records and every frozen document (checked against its SHA-256) to directory."""
    directory.mkdir(parents=True, exist_ok=True)
    records = export_records(body_slug, files_dir=directory)
    (directory / RECORDS).write_text(
        json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    documents = StoredDocument.objects.select_related("meeting__body", "paper__item").order_by("pk")
    if body_slug:
        documents = documents.filter(meeting__body__slug=body_slug)
    entries = []
    for document in documents:
        entries.append(_copy_out(document, directory))
    manifest = {"format": MANIFEST_FORMAT, "documents": entries}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    # The partners' private notes are in no export of the records, but a backup keeps them.
    (directory / NOTES).write_text(
        json.dumps(backup_notes(body_slug), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return BackupSummary(
        bodies=len(records["bodies"]),
        meetings=sum(len(b.get("meetings", [])) for b in records["bodies"]),
        documents=len(entries),
    )


def _copy_out(document: StoredDocument, directory: Path) -> dict[str, Any]:
    meeting = document.meeting
    relative = Path(DOCUMENTS) / document.file.name
    target = directory / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with document.file.open("rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out)
    with target.open("rb") as copied:
        sha, size = digest(copied)
    if (sha, size) != (document.sha256, document.size):
        raise RecordsError(
            [
                (
                    f"{meeting.body.slug}/{meeting.key} {document.kind} v{document.version}",
                    "the stored file does not match its recorded SHA-256 and size; "
                    "run verify_documents and restore it from an earlier backup",
                )
            ]
        )
    entry: dict[str, Any] = {
        "body": meeting.body.slug,
        "meeting": meeting.key,
        "kind": document.kind,
    }
    if document.paper is not None:
        entry.update(
            item=document.paper.item.number,
            paper=document.paper.key,
            audience=document.audience,
        )
    return entry | {
        "version": document.version,
        "file": relative.as_posix(),
        "sha256": document.sha256,
        "size": document.size,
        "pages": document.pages,
        "is_correction": document.is_correction,
        "correction_note": document.correction_note,
        "created_at": document.created_at.isoformat(),
        # A withdrawn version stays withdrawn when restored.
        "withdrawn_at": document.withdrawn_at.isoformat() if document.withdrawn_at else None,
        "withdrawn_note": document.withdrawn_note,
    }


@dataclass(frozen=True)
class RestoreSummary:
    records: Summary
    documents_added: int
    documents_present: int

    def describe(self) -> str:
        return (
            f"{self.records.describe()}\nDocuments: {self.documents_added} restored, "
            f"{self.documents_present} already present."
        )


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise RecordsError([(path.name, "missing from the backup folder")])
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordsError([(path.name, f"not valid JSON: {exc}")]) from exc


def restore(directory: Path) -> RestoreSummary:
    """Import the records, then the documents; any error and nothing at all is changed."""
    records = _read_json(directory / RECORDS)
    manifest = _read_json(directory / MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise RecordsError([(MANIFEST, f"not a {MANIFEST_FORMAT} manifest")])
    entries = manifest.get("documents")
    if not isinstance(entries, list):
        raise RecordsError([(f"{MANIFEST}.documents", "must be a list")])
    written: list[StoredDocument] = []
    files: list[str] = []
    try:
        with transaction.atomic():
            summary = import_records(records, base_dir=directory)
            files += summary.saved_files
            errors: list[tuple[str, str]] = []
            present = 0
            for index, entry in enumerate(entries):
                where = f"{MANIFEST}.documents[{index}]"
                try:
                    document = _restore_one(entry, directory)
                except (KeyError, TypeError, ValueError) as exc:
                    errors.append((where, f"incomplete or malformed entry ({exc})"))
                    continue
                except RecordsError as exc:
                    errors.extend((f"{where}: {w}", m) for w, m in exc.errors)
                    continue
                if document is None:
                    present += 1
                else:
                    written.append(document)
            notes_file = directory / NOTES
            if notes_file.exists():  # (backups made before notes existed have none)
                errors += restore_notes(_read_json(notes_file))
            if errors:
                raise RecordsError(errors)
    except BaseException:
        # Files are not transactional: remove what was written.
        for document in written:
            document.file.storage.delete(document.file.name)
        for name in files:
            default_storage.delete(name)
        raise
    refresh_planner_statistics()  # import_records could not: it ran inside this transaction
    return RestoreSummary(summary, len(written), present)


def _restore_one(entry: dict[str, Any], directory: Path) -> StoredDocument | None:
    """The document restored from the backup, or None when it is already stored as is."""
    source = (directory / entry["file"]).resolve()
    if directory.resolve() not in source.parents or not source.is_file():
        raise RecordsError([(entry["file"], "no such file inside the backup folder")])
    with source.open("rb") as handle:
        sha, size = digest(handle)
    if (sha, size) != (entry["sha256"], entry["size"]):
        raise RecordsError(
            [(entry["file"], "does not match the SHA-256 and size the manifest records")]
        )
    meeting = Meeting.objects.filter(body__slug=entry["body"], key=entry["meeting"]).first()
    if meeting is None:
        raise RecordsError(
            [("meeting", f"{entry['body']}/{entry['meeting']} is not in the records")]
        )
    same = meeting.stored_documents.filter(kind=entry["kind"], version=entry["version"])
    paper = None
    if entry["kind"] == StoredDocument.Kind.PAPER:
        paper = Paper.objects.filter(
            item__meeting=meeting, item__number=entry["item"], key=entry["paper"]
        ).first()
        if paper is None:
            where = f"{entry['body']}/{entry['meeting']} item {entry['item']}"
            raise RecordsError([("paper", f"{where} has no paper '{entry['paper']}'")])
        same = same.filter(paper=paper, audience=entry["audience"])
    existing = same.first()
    if existing is not None:
        if existing.sha256 != sha:
            raise RecordsError(
                [("version", f"{existing} is already stored with different content")]
            )
        return None
    created_at = parse_datetime(entry["created_at"])
    if not isinstance(created_at, dt.datetime):
        raise ValueError(f"created_at {entry['created_at']!r} is not a date and time")
    document = StoredDocument(
        meeting=meeting,
        kind=entry["kind"],
        paper=paper,
        audience=str(entry.get("audience", "")) if paper is not None else "",
        version=int(entry["version"]),
        sha256=sha,
        size=size,
        pages=int(entry.get("pages", 0)),
        is_correction=bool(entry.get("is_correction", False)),
        correction_note=str(entry.get("correction_note", "")),
        withdrawn_at=parse_datetime(entry["withdrawn_at"]) if entry.get("withdrawn_at") else None,
        withdrawn_note=str(entry.get("withdrawn_note", "")),
    )
    document.full_clean(exclude=["file"])
    with source.open("rb") as handle:
        document.file.save(Path(entry["file"]).name, File(handle), save=False)
    document.save()
    # created_at is auto_now_add: the publication time is put back as it was.
    StoredDocument.objects.filter(pk=document.pk).update(created_at=created_at)
    return document
