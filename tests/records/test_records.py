"""import_records / export_records: schema, rules, all-or-nothing, idempotence, round trip."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase

from actions.models import Action
from meetings.lock_scope import recording_history
from meetings.models import Attendance, Meeting, MinuteParagraph
from members.models import Appointment, Person, TermsOfReference
from reports.models import Paper
from tests.demo import DEMO_FILE, ROOT, demo_document, load_demo
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records


def counts() -> dict[str, int]:
    models = [
        Person,
        Appointment,
        TermsOfReference,
        Meeting,
        Attendance,
        MinuteParagraph,
        Action,
        Paper,
    ]
    return {m.__name__: m.objects.count() for m in models}


def body_of(doc: dict) -> dict:
    return doc["bodies"][0]


def membership_index(doc: dict, person: str) -> int:
    return next(i for i, m in enumerate(body_of(doc)["memberships"]) if m["person"] == person)


class DemoImportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()

    def test_demo_holds_both_terms_of_reference_with_their_seat_plans(self) -> None:
        draft = TermsOfReference.objects.get(version="2018-10-draft")
        interim = TermsOfReference.objects.get(version="2019-interim")
        assert draft.status == "superseded" and interim.status == "endorsed"
        interim_keys = set(interim.seat_by_key())
        assert {"dm-education", "police", "health", "london_councils", "community"} <= interim_keys
        assert "dm-education" not in draft.seat_by_key()
        assert interim.seat_capacity(interim.seats.get(key="london_councils")) == 3
        assert draft.seat_capacity(draft.seats.get(key="london_councils")) == 2
        police = next(g for g in interim.quorum_groups.all() if "police" in g.any_of)
        assert police.representative_allowed
        assert not draft.quorum_groups.get(label=police.label).representative_allowed

    def test_a_second_import_of_the_same_file_changes_nothing(self) -> None:
        before = counts()
        summary = import_records(demo_document(), base_dir=DEMO_FILE.parent)
        assert not summary.changed
        assert summary.describe() == "No changes: the database already holds these records."
        assert counts() == before

    def test_the_command_says_nothing_changed_on_a_second_run(self) -> None:
        out = io.StringIO()
        call_command("import_records", str(DEMO_FILE), stdout=out)
        assert "No changes" in out.getvalue()

    def test_march_meeting_attendance_is_exactly_as_the_minutes_list_it(self) -> None:
        meeting = Meeting.objects.get(key="2019-03-06")
        rows = meeting.attendance.select_related("person", "on_behalf_of")
        by_capacity: dict[str, list[str]] = {}
        for row in rows:
            by_capacity.setdefault(row.capacity, []).append(row.person.name)
        assert len(by_capacity["member"]) == 18
        assert len(by_capacity["substitute"]) == 2
        assert len(by_capacity["in_attendance"]) == 14
        assert len(by_capacity["apologies"]) == 5
        hobart = rows.get(person__name="Vicky Hobart")
        assert "Yvonne Doyle" in hobart.on_behalf_of.name

    def test_march_minutes_run_from_1_1_to_12_1(self) -> None:
        from meetings.models import paragraph_numbers

        meeting = Meeting.objects.get(key="2019-03-06")
        items = list(meeting.items.all())
        paragraphs = {i.pk: list(i.paragraphs.all()) for i in items}
        numbers = list(paragraph_numbers(items, paragraphs).values())
        assert numbers[0] == "1.1" and numbers[-1] == "12.1"
        assert "8.6" in numbers and len(numbers) == len(set(numbers))

    def test_march_meeting_is_quorate_and_the_board_below_thirty_percent(self) -> None:
        march = next(
            m for m in body_of(export_records("prg"))["meetings"] if m["key"] == "2019-03-06"
        )
        assert march["quorum"]["quorate"] is True
        assert march["quorum"]["members"] == 23
        assert march["quorum"]["needed"] == 12
        assert march["quorum"]["present"] == 20
        composition = march["composition"]
        assert composition["members"] == 23
        assert composition["meets_minimum"] is False
        assert composition["shortfall"] > 0

    def test_actions_carry_their_status_notes_from_the_actions_arising_report(self) -> None:
        letter = Action.objects.get(description__contains="letter of thanks")
        assert letter.status == "complete"
        assert letter.status_display() == "Complete: The letter has been sent."
        assert letter.owners_display() == "Clerk"
        pair = Action.objects.get(description__contains="systematic challenges")
        assert pair.owners_display() == "Lib Peck and Jake Ferguson"
        community = Action.objects.get(meeting__key="2019-01-22")
        assert community.ongoing and community.deadline_display() == "Ongoing"

    def test_appointments_made_below_thirty_percent_carry_a_recorded_reason(self) -> None:
        for appt in Appointment.objects.all():
            terms = appt.body.terms_in_force(appt.start)
            if terms.sector_of(appt.seat_key) == "community" or appt.is_like_for_like():
                continue
            roster = list(appt.body.appointments_on(appt.start))
            if not terms.composition_of(roster).meets_minimum:
                assert appt.exception.strip(), f"{appt} has no recorded exception"

    def test_export_then_import_into_an_empty_database_then_export_is_identical(self) -> None:
        first = export_records()
        with transaction.atomic():
            sid = transaction.savepoint()
            # Empty the database of records inside a savepoint, import the export, export.
            _delete_everything()
            assert Person.objects.count() == 0
            import_records(json.loads(json.dumps(first)))
            second = export_records()
            transaction.savepoint_rollback(sid)
        assert second == first


@recording_history()  # the test's empty database, not a change to a published record
def _delete_everything() -> None:
    """Delete every record in dependency order (PROTECT forbids it the other way)."""
    from actions.models import ActionOwner, ActionUpdate
    from meetings.models import (
        AgendaItem,
        ChecklistAcknowledgement,
        Declaration,
        Dissent,
        ForwardPlanItem,
    )
    from members.models import Body, Interest, QuorumGroup, Seat

    for model in [
        ActionUpdate,
        ActionOwner,
        Action,
        Paper,
        MinuteParagraph,
        Declaration,
        Dissent,
        Attendance,
        ForwardPlanItem,
        ChecklistAcknowledgement,
        AgendaItem,
        Meeting,
        Appointment,
        Interest,
        Seat,
        QuorumGroup,
        TermsOfReference,
        Person,
        Body,
    ]:
        model.objects.all().delete()


class InvalidFileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.before = counts()

    def refused(self, doc: dict) -> list[tuple[str, str]]:
        with pytest.raises(RecordsError) as exc:
            import_records(doc, base_dir=DEMO_FILE.parent)
        assert counts() == self.before, "a refused import must change nothing"
        return exc.value.errors

    def test_unknown_key_is_an_error_with_its_path(self) -> None:
        doc = demo_document()
        body_of(doc)["meetings"][1]["attendance"][5]["colour"] = "blue"
        errors = self.refused(doc)
        assert any(
            path == "bodies[0].meetings[1].attendance[5]" and "colour" in message
            for path, message in errors
        )

    def test_every_schema_error_is_reported_not_just_the_first(self) -> None:
        doc = demo_document()
        body_of(doc)["meetings"][1]["date"] = "6 March 2019"
        body_of(doc)["people"][0]["name"] = 42
        paths = [path for path, _ in self.refused(doc)]
        assert "bodies[0].meetings[1].date" in paths
        assert "bodies[0].people[0].name" in paths

    def test_a_fourth_health_appointment_is_refused_and_nothing_is_written(self) -> None:
        doc = demo_document()
        body = body_of(doc)
        body["people"].append({"key": "extra-health", "name": "Extra Health"})
        body["memberships"].append(
            {
                "person": "extra-health",
                "seat": "health",
                # After the approved minutes of 6 March, whose membership is locked.
                "start": "2019-03-07",
                "end": None,
                "exception": "test",
            }
        )
        errors = self.refused(doc)
        index = len(body["memberships"]) - 1
        assert any(
            path == f"bodies[0].memberships[{index}]" and "appointment 4 of 3" in message
            for path, message in errors
        )

    def test_a_dangling_person_reference_names_its_path(self) -> None:
        doc = demo_document()
        body_of(doc)["meetings"][1]["attendance"][0]["person"] = "nobody-at-all"
        errors = self.refused(doc)
        assert (
            "bodies[0].meetings[1].attendance[0].person",
            "No person with key 'nobody-at-all' in the file or the database.",
        ) in errors

    def test_an_agreed_outcome_at_an_inquorate_item_is_refused(self) -> None:
        doc = demo_document()
        may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
        item = next(i for i in may["items"] if i["number"] == "8")
        item["outcome"] = "agreed"
        errors = self.refused(doc)
        assert any("not quorate for item 8" in message for _, message in errors)

    def test_a_substitute_and_their_member_both_present_is_refused(self) -> None:
        doc = demo_document()
        meetings = body_of(doc)["meetings"]
        march = meetings[1]
        sub = next(a for a in march["attendance"] if a["capacity"] == "substitute")
        member = next(a for a in march["attendance"] if a["person"] == sub["on_behalf_of"])
        # The same pair on the draft June meeting: the March attendance is locked.
        june = next(m for m in meetings if m["key"] == "2019-06-12")
        june["attendance"] = [
            {k: v for k, v in row.items() if k not in ("from_item", "to_item")}
            for row in ({**member, "capacity": "member"}, sub)
        ]
        errors = self.refused(doc)
        assert any("both recorded present" in message for _, message in errors)

    def test_a_final_paper_without_equality_comments_is_refused(self) -> None:
        doc = demo_document()
        may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
        papers = [p for i in may["items"] for p in i.get("papers", [])]
        paper = next(p for p in papers if not p.get("final", True))
        paper["final"] = True
        errors = self.refused(doc)
        assert any("equality" in message.lower() for _, message in errors)

    def test_an_exempt_paper_needs_its_exemption(self) -> None:
        doc = demo_document()
        may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
        paper = next(p for i in may["items"] for p in i.get("papers", []))
        paper["classification"] = "exempt"
        paths = [path for path, _ in self.refused(doc)]
        assert any(path.startswith("bodies[0].meetings[2].items[") for path in paths)

    def test_a_paper_file_outside_the_records_folder_is_refused(self) -> None:
        doc = demo_document()
        may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
        paper = next(p for i in may["items"] for p in i.get("papers", []))
        paper.pop("sections")
        paper["file"] = "../../etc/passwd.pdf"
        errors = self.refused(doc)
        assert any("outside the folder" in message for _, message in errors)

    def test_a_paper_file_that_is_not_a_pdf_is_refused_by_the_schema(self) -> None:
        doc = demo_document()
        may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
        paper = next(p for i in may["items"] for p in i.get("papers", []))
        paper.pop("sections")
        paper["file"] = "notes.docx"
        errors = self.refused(doc)
        assert any(path.endswith(".papers[0].file") for path, _ in errors)


def test_the_command_prints_every_error_and_exits_with_status_1(tmp_path: Path) -> None:
    doc = copy.deepcopy(demo_document())
    body_of(doc)["memberships"][0]["seat"] = 7
    body_of(doc)["colour"] = "blue"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    env = {
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    run = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    result = subprocess.run(
        [*run, "import_records", str(bad)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "bodies[0].memberships[0].seat" in result.stderr
    assert "bodies[0]: Additional properties are not allowed ('colour'" in result.stderr
    assert "nothing was imported" in result.stderr


def test_the_command_refuses_a_file_that_is_not_json(tmp_path: Path, db: None) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(CommandError, match="not valid JSON at line 1"):
        call_command("import_records", str(bad))


def test_export_of_an_unknown_body_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="No body 'nope'"):
        call_command("export_records", "--body", "nope")


def _minimal_pdf() -> bytes:
    """One blank page: a PDF the importer can read and check for active content."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MINIMAL_PDF = _minimal_pdf()


class UploadedPaperImportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()

    def test_a_pdf_beside_the_records_file_is_stored_once_and_exported_back(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            (base / "papers").mkdir()
            (base / "papers" / "delivery.pdf").write_bytes(MINIMAL_PDF)
            doc = demo_document()
            meetings = body_of(doc)["meetings"]
            may = next(m for m in meetings if m["key"] == "2019-05-01")
            # A copy of a May paper on the draft June agenda (the May agenda is published:
            # its papers are locked), first as written, then replaced by its PDF.
            paper = copy.deepcopy(
                next(p for i in may["items"] for p in i.get("papers", []) if p.get("final", True))
            )
            paper["key"] = "june-delivery"
            june = next(m for m in meetings if m["key"] == "2019-06-12")
            next(i for i in june["items"] if i["number"] == "4").setdefault("papers", []).append(
                paper
            )
            assert import_records(doc, base_dir=base).created == {"papers": 1}
            paper.pop("sections")
            paper["file"] = "papers/delivery.pdf"
            paper["file_has_equality_comments"] = True
            summary = import_records(doc, base_dir=base)
            assert summary.updated == {"papers": 1}
            stored = Paper.objects.get(key=paper["key"])
            assert stored.file.read() == MINIMAL_PDF and not stored.has_authored_content()
            # The same file again changes nothing; the export names the stored file.
            assert not import_records(doc, base_dir=base).changed
            exported = next(
                p
                for m in body_of(export_records("prg"))["meetings"]
                for i in m["items"]
                for p in i.get("papers", [])
                if p["key"] == paper["key"]
            )
            assert exported["file"].endswith(".pdf") and exported["file_has_equality_comments"]
            stored.file.delete(save=False)

    def test_a_file_that_is_not_really_a_pdf_is_refused(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            (base / "fake.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
            doc = demo_document()
            may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
            paper = next(p for i in may["items"] for p in i.get("papers", []))
            paper.pop("sections")
            paper["file"] = "fake.pdf"
            with pytest.raises(RecordsError) as exc:
                import_records(doc, base_dir=base)
            assert any("'fake.pdf' is not a PDF." == m for _, m in exc.value.errors)

    def test_a_pdf_over_the_upload_limit_is_refused_as_the_upload_form_refuses_it(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder, self.settings(PAPER_UPLOAD_MAX_BYTES=100):
            base = Path(folder)
            (base / "big.pdf").write_bytes(MINIMAL_PDF)
            doc = demo_document()
            may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
            paper = next(p for i in may["items"] for p in i.get("papers", []))
            paper.pop("sections")
            paper["file"] = "big.pdf"
            with pytest.raises(RecordsError) as exc:
                import_records(doc, base_dir=base)
            assert any(
                m.startswith("'big.pdf': The file is") and "the largest accepted is" in m
                for _, m in exc.value.errors
            )

    def test_a_refused_import_leaves_no_stored_file_behind(self) -> None:
        import tempfile

        from django.core.files.storage import default_storage

        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            (base / "ok.pdf").write_bytes(MINIMAL_PDF)
            doc = demo_document()
            may = next(m for m in body_of(doc)["meetings"] if m["key"] == "2019-05-01")
            paper = next(p for i in may["items"] for p in i.get("papers", []))
            paper.pop("sections")
            paper["file"] = "ok.pdf"
            paper["file_has_equality_comments"] = True
            body_of(doc)["meetings"][1]["attendance"][0]["person"] = "nobody-at-all"
            with pytest.raises(RecordsError):
                import_records(doc, base_dir=base)
            folder_name = "papers/prg/2019-05-01"
            files = (
                default_storage.listdir(folder_name)[1]
                if default_storage.exists(folder_name)
                else []
            )
            assert not [f for f in files if f.startswith(paper["key"])]
