"""The line printed at the head of a body's documents is the body's own (Body.publisher_line):
the London VRU's documents say "MAYOR OF LONDON" as the seed's pages do, another body's say
nothing of the kind. Set in the admin and in the records format; the migration gives it to
the London bodies already recorded."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import io

import pypdf
from django.apps import apps
from django.test import TestCase

from meetings.models import Meeting
from meetings.services.meeting import create_meeting_with_standard_agenda
from members.models import Body
from reports.documents.actions_arising import build_actions_arising
from reports.documents.chair_brief import build_chair_brief
from reports.documents.minutes import build_minutes, render_minutes
from tests.demo import DEMO_FILE, demo_document
from tests.world import DemoWorld, account, make_body
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import import_records

MAYOR = "MAYOR OF LONDON"


def pdf_text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


class PublisherLineTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")
        cls.other, _ = make_body("ssp", effective_from=dt.date(2018, 1, 1))
        cls.first = create_meeting_with_standard_agenda(
            cls.other, date=dt.date(2018, 5, 15), start_time=dt.time(14)
        )

    def test_the_demo_body_prints_the_mayor_of_london_as_the_seed(self) -> None:
        assert self.body.publisher_line == MAYOR
        assert build_minutes(self.march).masthead == MAYOR
        assert build_actions_arising(self.march).masthead == MAYOR
        assert build_chair_brief(self.march).masthead == MAYOR

    def test_another_body_prints_no_such_line(self) -> None:
        assert self.other.publisher_line == ""
        assert build_minutes(self.first).masthead == ""
        assert MAYOR not in pdf_text(render_minutes(self.first).pdf)

    def test_another_body_prints_its_own_line(self) -> None:
        Body.objects.filter(pk=self.other.pk).update(publisher_line="SAFER STREETS")
        meeting = Meeting.objects.select_related("body").get(pk=self.first.pk)
        text = pdf_text(render_minutes(meeting).pdf)
        assert "SAFER STREETS" in text and MAYOR not in text

    def test_the_admin_edits_the_line(self) -> None:
        admin = account("root", is_superuser=True, is_staff=True)
        client = self.client_for(admin)
        page = client.get(f"/admin/members/body/{self.other.pk}/change/")
        assert 'name="publisher_line"' in page.content.decode()


class PublisherLineMigrationTests(TestCase):
    def test_the_migration_gives_the_line_to_the_london_bodies_only(self) -> None:
        Body.objects.create(slug="prg", name="Reference Group")
        Body.objects.create(slug="london-board", name="London Crime Board")
        Body.objects.create(slug="ssp", name="Safer Streets Partnership Board")
        migration = importlib.import_module("members.migrations.0009_body_publisher_line")
        migration.set_london_publisher(apps, None)
        assert dict(Body.objects.values_list("slug", "publisher_line")) == {
            "prg": MAYOR,
            "london-board": MAYOR,
            "ssp": "",
        }


class PublisherLineRecordsTests(TestCase):
    def test_the_line_round_trips_and_an_older_file_leaves_it_alone(self) -> None:
        document = demo_document()
        assert document["bodies"][0]["publisher_line"] == MAYOR
        document["bodies"][0]["publisher_line"] = "GREATER LONDON AUTHORITY"
        import_records(copy.deepcopy(document), base_dir=DEMO_FILE.parent)
        assert Body.objects.get(slug="prg").publisher_line == "GREATER LONDON AUTHORITY"
        assert export_records("prg")["bodies"][0]["publisher_line"] == "GREATER LONDON AUTHORITY"
        del document["bodies"][0]["publisher_line"]
        import_records(document, base_dir=DEMO_FILE.parent)
        assert Body.objects.get(slug="prg").publisher_line == "GREATER LONDON AUTHORITY"

    def test_a_blank_line_is_not_exported(self) -> None:
        document = demo_document()
        document["bodies"][0]["publisher_line"] = ""
        import_records(document, base_dir=DEMO_FILE.parent)
        assert "publisher_line" not in export_records("prg")["bodies"][0]
