"""Malformed import files: wrong types, unknown keys, dangling references, impossible dates,
NUL characters, files too large or not JSON text, a paper with script beside the records.
Each is refused whole, with every error said and nothing written."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from actions.models import Action, ActionUpdate
from meetings.models import Declaration, Dissent, Meeting, MinuteParagraph
from members.models import Appointment, Body, Interest, Person
from reports.models import Paper
from tests.demo import DEMO_FILE, demo_document
from tests.pdfs import TemporaryMedia
from tests.security.hostile.pdfs import document_javascript, pdf_with
from vru_governance.records.importer import import_records


def row_counts() -> dict[str, int]:
    models = [
        Body,
        Person,
        Appointment,
        Meeting,
        MinuteParagraph,
        Declaration,
        Dissent,
        Action,
        ActionUpdate,
        Paper,
        Interest,
    ]
    return {m.__name__: m.objects.count() for m in models}


class MalformedImportTests(TemporaryMedia, TestCase):
    """A malformed records file is refused whole: status 1, every error said, nothing written."""

    @classmethod
    def setUpTestData(cls) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vru-import-"))
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.before = row_counts()

    def run_command(self, content: bytes, name: str = "records.json") -> str:
        """import_records FILE: what it writes to stderr, and the error it stops with."""
        path = self.folder / name
        path.write_bytes(content)
        err = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("import_records", str(path), stdout=io.StringIO(), stderr=err)
        # manage.py exits with a CommandError's returncode (and prints its message).
        assert refused.value.returncode == 1
        assert row_counts() == self.before, "a refused import must change nothing"
        return f"{err.getvalue()}{refused.value}"

    def refused(self, doc: object) -> str:
        return self.run_command(json.dumps(doc).encode())

    def test_wrong_types_are_each_named_with_their_path(self) -> None:
        doc = demo_document()
        body = doc["bodies"][0]
        body["people"][0]["name"] = 42
        body["meetings"][1]["date"] = "6 March 2019"
        body["terms_of_reference"][0]["seats"][0]["count"] = "three"
        body["meetings"][1]["items"] = {"number": "1"}
        err = self.refused(doc)
        for path in (
            "bodies[0].people[0].name",
            "bodies[0].meetings[1].date",
            "bodies[0].terms_of_reference[0].seats[0].count",
            "bodies[0].meetings[1].items",
        ):
            assert path in err, path
        assert "nothing was imported" in err

    def test_unknown_keys_are_refused(self) -> None:
        doc = demo_document()
        doc["bodies"][0]["colour"] = "blue"
        doc["bodies"][0]["meetings"][0]["items"][0]["script"] = "<script>alert(1)</script>"
        err = self.refused(doc)
        assert "Additional properties are not allowed ('colour' was unexpected)" in err
        assert "('script' was unexpected)" in err

    def test_dangling_references_are_refused(self) -> None:
        doc = demo_document()
        body = doc["bodies"][0]
        body["meetings"][1]["attendance"][0]["person"] = "nobody-at-all"
        body["memberships"][0]["person"] = "ghost"
        body["meetings"][1]["attendance"][1]["to_item"] = "99"
        err = self.refused(doc)
        assert "No person with key 'nobody-at-all' in the file or the database." in err
        assert "No person with key 'ghost'" in err

    def test_records_only_the_database_can_judge_are_refused_too(self) -> None:
        doc = demo_document()
        body = doc["bodies"][0]
        item = body["meetings"][1]["items"][4]
        item["declarations"] = [
            {"person": "jake-ferguson", "interest": "Trustee"},
            {"person": "jake-ferguson", "interest": "Trustee again"},
        ]
        err = self.refused(doc)
        assert "'jake-ferguson' already declared an interest on this item." in err
        doc = demo_document()
        doc["bodies"][0]["terms_of_reference"][0]["meeting_interval_days"] = [42, 28]
        assert "bodies[0].terms_of_reference[0]" in self.refused(doc)
        doc = demo_document()
        row = doc["bodies"][0]["meetings"][1]["attendance"][0]
        row["capacity"] = "substitute"
        row.pop("on_behalf_of", None)
        assert "bodies[0].meetings[1].attendance[0]" in self.refused(doc)

    def test_a_date_that_only_looks_like_one_is_refused(self) -> None:
        doc = demo_document()
        doc["bodies"][0]["meetings"][1]["date"] = "2019-02-30"
        doc["bodies"][0]["memberships"][0]["start"] = "2019-13-01"
        err = self.refused(doc)
        assert "bodies[0].meetings[1].date: '2019-02-30' is not a 'date'" in err
        assert "bodies[0].memberships[0].start" in err

    def test_text_with_a_nul_character_is_refused(self) -> None:
        doc = demo_document()
        doc["bodies"][0]["people"][0]["name"] = "Sadiq\x00Khan"
        err = self.refused(doc)
        assert "bodies[0].people[0].name: The text contains a NUL character" in err

    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self) -> None:
        with override_settings(RECORDS_IMPORT_MAX_BYTES=1000):
            err = self.run_command(b"{" + b" " * 2000)  # not JSON either: never parsed
        assert "larger than the 1,000 bytes accepted (RECORDS_IMPORT_MAX_BYTES)" in err
        assert "not valid JSON" not in err

    def test_files_that_are_not_json_text_are_refused(self) -> None:
        cases = {
            b"{ not json": "not valid JSON at line 1",
            b"\xff\xfe{\x00}\x00": "not UTF-8 text",
            b"[" * 100_000 + b"]" * 100_000: "not usable JSON (nested too deeply)",
            b'{"format": ' + b"9" * 5000 + b"}": "not usable JSON",
            b"[]": "The document must be a JSON object.",
            b'"<script>alert(1)</script>"': "The document must be a JSON object.",
        }
        for content, message in cases.items():
            assert message in self.run_command(content), message

    def test_a_paper_file_with_javascript_beside_the_records_is_refused(self) -> None:
        (self.folder / "paper.pdf").write_bytes(pdf_with(document_javascript))
        doc = demo_document()
        may = next(m for m in doc["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
        paper = next(p for i in may["items"] for p in i.get("papers", []))
        paper.pop("sections")
        paper["file"] = "paper.pdf"
        paper["file_has_equality_comments"] = True
        err = self.refused(doc)
        assert "'paper.pdf' contains JavaScript; papers must be plain PDFs." in err
