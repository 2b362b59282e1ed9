"""Partners' private notes on papers: theirs alone, kept across devices, exported by their
author, never in the records' export, the API or the admin, kept by backup/restore."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import TestCase
from django.utils import timezone

from meetings.models import Meeting
from reports import notes
from reports.models import Paper, PaperNote
from tests.world import DemoWorld
from vru_governance.records.backup import backup, restore
from vru_governance.records.exporter import export_records
from vru_governance.rules.versions import EditConflict

SECRET = "Ask about the youth panel budget line"


class PrivateNotesTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.paper = Paper.objects.select_related("item__meeting__body").get(
            item__meeting__body__slug="prg", key="closing-the-gaps"
        )
        cls.exempt = Paper.objects.select_related("item__meeting__body").get(
            item__meeting__body__slug="prg", key="future-of-prg"
        )
        Paper.objects.filter(pk=cls.exempt.pk).update(
            classification=Paper.Classification.EXEMPT,
            exemption_section="s.43",
            exemption_reason="Commercial interests of a funder outweigh disclosure.",
            exemption_review_on=dt.date(2027, 1, 1),
        )
        cls.exempt.refresh_from_db()

    def url(self, paper: Paper) -> str:
        m = paper.item.meeting
        return f"/partners/{m.body.slug}/notes/{m.key}/{paper.item.number}/{paper.key}/"

    def write(self, text: str = SECRET, paper: Paper | None = None) -> PaperNote:
        return notes.save_note(user=self.partner, paper=paper or self.paper, text=text, version=0)

    # The data layer ------------------------------------------------------------------------

    def test_a_partner_keeps_one_note_per_paper_and_changes_it(self) -> None:
        note = self.write()
        assert note.version == 1
        changed = notes.save_note(user=self.partner, paper=self.paper, text="Better", version=1)
        assert changed.pk == note.pk and changed.version == 2
        assert PaperNote.objects.get().text == "Better"

    def test_a_note_changed_on_another_device_is_not_overwritten(self) -> None:
        self.write("From the laptop")
        with self.assertRaises(EditConflict) as caught:
            notes.save_note(user=self.partner, paper=self.paper, text="From the phone", version=0)
        assert caught.exception.current == 1
        assert PaperNote.objects.get().text == "From the laptop"

    def test_no_one_may_note_a_paper_they_cannot_see(self) -> None:
        with self.assertRaisesMessage(ValidationError, "only on papers you can see"):
            notes.save_note(user=self.outsider, paper=self.exempt, text="x", version=0)
        assert not PaperNote.objects.exists()

    def test_an_empty_note_is_refused_with_a_reason(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Write the note, or delete it."):
            self.write("   ")

    def test_notes_go_with_their_paper_and_with_their_authors_account(self) -> None:
        # (A published paper is never deleted; one that is, or an account, takes its notes.)
        for name in ("paper", "author"):
            assert PaperNote._meta.get_field(name).remote_field.on_delete is models.CASCADE
        self.write()
        self.partner.delete()
        assert not PaperNote.objects.exists()

    # The portal ----------------------------------------------------------------------------

    def test_the_dashboard_links_each_paper_to_its_note(self) -> None:
        # The dashboard lists upcoming meetings: the demo's meeting is moved into the future.
        Meeting.objects.filter(pk=self.paper.item.meeting_id).update(
            date=timezone.localdate() + dt.timedelta(days=7)
        )
        page = self.client_for(self.partner).get("/partners/").content.decode()
        assert f'href="{self.url(self.paper)}">Your note' in page
        assert 'href="/partners/notes/"' in page

    def test_a_partner_writes_reads_and_deletes_a_note_through_the_portal(self) -> None:
        client = self.client_for(self.partner)
        response = client.post(self.url(self.paper), {"text": SECRET, "version": "0"})
        assert response.status_code == 302
        page = client.get(self.url(self.paper)).content.decode()
        assert SECRET in page and "only you can read it" in page
        assert SECRET in client.get("/partners/notes/").content.decode()
        client.post(self.url(self.paper) + "delete/", {"version": "1"})
        assert not PaperNote.objects.exists()

    def test_a_stale_form_shows_the_saved_note_beside_what_was_typed(self) -> None:
        self.write("Saved on the laptop")
        response = self.client_for(self.partner).post(
            self.url(self.paper), {"text": "Typed on the phone", "version": "0"}
        )
        page = response.content.decode()
        assert response.status_code == 409
        assert "Saved on the laptop" in page and "Typed on the phone" in page

    def test_notes_are_the_authors_alone(self) -> None:
        self.write()
        for user in (self.secretary, self.outsider, self.other_secretary):
            client = self.client_for(user)
            assert SECRET not in client.get("/partners/notes/").content.decode()
            assert SECRET not in client.get(self.url(self.paper)).content.decode()
            assert SECRET not in client.get("/partners/notes/export.json").content.decode()

    def test_an_outsider_gets_404_for_an_exempt_papers_note_page(self) -> None:
        assert self.client_for(self.outsider).get(self.url(self.exempt)).status_code == 404

    def test_the_author_exports_notes_as_json_and_markdown(self) -> None:
        self.write()
        client = self.client_for(self.partner)
        response = client.get("/partners/notes/export.json")
        assert "attachment" in response["Content-Disposition"]
        exported = json.loads(response.content)
        assert exported["notes"][0]["note"] == SECRET
        assert exported["notes"][0]["paper"] == self.paper.title
        markdown = client.get("/partners/notes/export.md").content.decode()
        assert f"## {self.paper.title}" in markdown and SECRET in markdown

    def test_a_partner_deletes_all_their_notes_on_request_and_only_theirs(self) -> None:
        self.write()
        self.write(paper=self.exempt)
        notes.save_note(user=self.secretary, paper=self.paper, text="Mine", version=0)
        client = self.client_for(self.partner)
        client.post("/partners/notes/delete-all/", {})  # not confirmed: nothing deleted
        assert PaperNote.objects.filter(author=self.partner).count() == 2
        client.post("/partners/notes/delete-all/", {"confirm": "yes"})
        assert list(PaperNote.objects.values_list("text", flat=True)) == ["Mine"]

    # Never shown elsewhere -----------------------------------------------------------------

    def test_notes_are_in_no_export_of_the_records_nor_the_api_nor_the_admin(self) -> None:
        self.write()
        assert SECRET not in json.dumps(export_records(None), default=str)
        m = self.paper.item.meeting
        client = self.client_for(self.partner)  # even to the note's author
        meeting_api = client.get(f"/api/bodies/{m.body.slug}/meetings/{m.key}/")
        assert meeting_api.status_code == 200
        assert self.paper.title in meeting_api.content.decode()  # the paper, not its note
        assert SECRET not in meeting_api.content.decode()
        for path in (
            "/api/",
            f"/api/bodies/{m.body.slug}/",
            f"/api/bodies/{m.body.slug}/meetings/",
        ):
            assert SECRET not in client.get(path).content.decode()
        assert PaperNote not in admin.site._registry

    def test_backup_and_restore_keep_the_notes(self) -> None:
        self.write()
        folder = Path(tempfile.mkdtemp(prefix="vru-notes-"))
        self.addCleanup(shutil.rmtree, folder, True)
        backup(folder / "b")
        assert SECRET not in (folder / "b" / "records.json").read_text()
        saved = json.loads((folder / "b" / "notes.json").read_text())
        assert saved["notes"][0]["text"] == SECRET
        PaperNote.objects.all().delete()
        restore(folder / "b")
        note = PaperNote.objects.get()
        assert (note.author, note.paper, note.text) == (self.partner, self.paper, SECRET)
        (folder / "b" / "notes.json").unlink()  # a backup made before notes existed
        restore(folder / "b")
        assert PaperNote.objects.count() == 1
