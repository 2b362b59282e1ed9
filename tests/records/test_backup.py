"""Backup and restore: the records and the published documents of a board come back complete,
byte for byte, into an empty database; a damaged backup is refused whole."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from pypdf import PdfWriter

from meetings.models import Meeting
from members.models import Person
from reports.models import Paper, StoredDocument
from reports.services import MINUTES_KINDS, freeze_documents
from tests.demo import load_demo
from tests.pdfs import TemporaryMedia
from tests.records.test_records import _delete_everything
from vru_governance.records.exporter import export_records


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Slides restored exactly as uploaded"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


UPLOADED = one_page_pdf()


def stored_state() -> list[tuple]:
    """Every stored document as (meeting, kind, version, sha256, size, created_at, bytes)."""
    rows = []
    for d in StoredDocument.objects.select_related("meeting").order_by("meeting__key", "kind"):
        with d.file.open("rb") as handle:
            content = handle.read()
        rows.append(
            (d.meeting.key, d.kind, d.version, d.sha256, d.size, d.created_at, d.pages, content)
        )
    return rows


def all_files(storage, folder: str = "") -> list[str]:
    folders, files = storage.listdir(folder) if storage.exists(folder or ".") else ([], [])
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        found += all_files(storage, f"{folder}/{sub}".lstrip("/"))
    return found


def wipe(test: TestCase) -> None:
    """An empty database and an empty storage folder, as on a new server."""
    StoredDocument.objects.all().delete()
    _delete_everything()
    assert not Meeting.objects.exists() and not Person.objects.exists()
    folder = tempfile.mkdtemp(prefix="vru-restored-")
    test.addCleanup(shutil.rmtree, folder, True)
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    new_server = override_settings(STORAGES=storages)
    new_server.enable()
    test.addCleanup(new_server.disable)
    assert all_files(default_storage) == []


class BackupRestoreTests(TemporaryMedia, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        march = Meeting.objects.get(key="2019-03-06")
        may = Meeting.objects.get(key="2019-05-01")
        upload = Paper(item=may.items.get(number="5"), key="slides", title="Slides")
        upload.file.save("slides.pdf", ContentFile(UPLOADED), save=False)
        upload.save()
        # Two kinds are enough to prove the round trip; packs only take longer to render.
        freeze_documents(march, [StoredDocument.Kind.AGENDA, *MINUTES_KINDS])

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vru-backup-"))
        self.addCleanup(shutil.rmtree, self.folder, True)

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command(*args, stdout=out, stderr=out)
        return out.getvalue()

    def test_a_board_restores_completely_into_an_empty_database(self) -> None:
        records_before = export_records()
        documents_before = stored_state()
        assert len(documents_before) == 2
        out = self.run_command("backup", str(self.folder))
        assert "2 published documents" in out

        wipe(self)
        with mock.patch("vru_governance.records.backup.refresh_planner_statistics") as analyze:
            out = self.run_command("restore", str(self.folder))
        assert "Documents: 2 restored, 0 already present." in out
        analyze.assert_called_once_with()  # fresh planner statistics once it is committed

        assert export_records() == records_before
        assert stored_state() == documents_before
        paper = Paper.objects.get(key="slides")
        with paper.file.open("rb") as handle:
            assert handle.read() == UPLOADED
        assert "All 2 stored documents match" in self.run_command("verify_documents")
        minutes = next(row for row in documents_before if row[1] == "minutes")
        response = self.client.get("/prg/meetings/2019-03-06/minutes.pdf")
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body == minutes[-1]  # served as published, not re-rendered

    def test_restoring_over_the_same_records_changes_nothing(self) -> None:
        self.run_command("backup", str(self.folder))
        out = self.run_command("restore", str(self.folder))
        assert "No changes" in out and "0 restored, 2 already present" in out
        assert StoredDocument.objects.count() == 2

    def test_a_tampered_document_is_refused_and_nothing_is_restored(self) -> None:
        self.run_command("backup", str(self.folder))
        manifest = json.loads((self.folder / "documents.json").read_text())
        victim = self.folder / manifest["documents"][1]["file"]
        victim.write_bytes(victim.read_bytes()[:-1] + b"X")
        wipe(self)
        with pytest.raises(CommandError, match="nothing was restored"):
            self.run_command("restore", str(self.folder))
        assert not Meeting.objects.exists()
        assert not StoredDocument.objects.exists()
        assert default_storage.listdir("documents/prg/2019-03-06")[1] == []
        assert all_files(default_storage) == [], "no file left behind by the refused restore"

    def test_a_manifest_pointing_outside_the_backup_is_refused(self) -> None:
        self.run_command("backup", str(self.folder))
        path = self.folder / "documents.json"
        manifest = json.loads(path.read_text())
        manifest["documents"][0]["file"] = "../../etc/passwd"
        path.write_text(json.dumps(manifest))
        count = StoredDocument.objects.count()
        with pytest.raises(CommandError):
            self.run_command("restore", str(self.folder))
        assert StoredDocument.objects.count() == count

    def test_a_backup_never_goes_into_a_folder_already_in_use(self) -> None:
        (self.folder / "something.txt").write_text("mine")
        with pytest.raises(CommandError, match="not empty"):
            self.run_command("backup", str(self.folder))

    def test_a_damaged_stored_document_stops_the_backup_with_its_name(self) -> None:
        document = StoredDocument.objects.filter(kind="minutes").get()
        name = document.file.name
        original = default_storage.open(name, "rb").read()
        default_storage.delete(name)
        default_storage.save(name, ContentFile(original + b"tail"))
        try:
            with pytest.raises(CommandError, match="incomplete"):
                self.run_command("backup", str(self.folder))
        finally:
            default_storage.delete(name)
            default_storage.save(name, ContentFile(original))
