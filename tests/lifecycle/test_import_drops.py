"""import_records and records a file leaves out: a record a published document shows (an
agenda item, a paper, an action the approved minutes print) left out of the file for a meeting
already in the database is never silently left as it is. The import is refused whole, with an
error at the meeting's path that names the record and says to record a correction."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from actions.models import Action
from meetings.models import AgendaItem
from reports.models import Paper
from tests.demo import load_demo
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records


def meeting_of(document: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    meetings = document["bodies"][0]["meetings"]
    return next((n, m) for n, m in enumerate(meetings) if m["key"] == key)


class DroppedRecordTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()

    def refused(self, document: dict[str, Any]) -> list[tuple[str, str]]:
        with self.assertRaises(RecordsError) as caught:
            import_records(document)
        return [tuple(e) for e in caught.exception.errors]

    def test_the_export_imports_again_with_nothing_left_out(self) -> None:
        import_records(export_records("prg"))

    def test_an_action_the_approved_minutes_print_cannot_be_left_out(self) -> None:
        document = export_records("prg")
        n, march = meeting_of(document, "2019-03-06")
        item = next(
            i
            for i in march["items"]
            if any(a["key"] == "2019-03-06-4-1" for a in i.get("actions", []))
        )
        item["actions"] = [a for a in item["actions"] if a["key"] != "2019-03-06-4-1"]
        errors = self.refused(document)
        self.assertEqual(len(errors), 1, errors)
        path, message = errors[0]
        self.assertEqual(path, f"bodies[0].meetings[{n}].items")
        self.assertIn("The file leaves out the action '2019-03-06-4-1' of item 4", message)
        self.assertIn("Record a correction", message)
        self.assertTrue(Action.objects.filter(key="2019-03-06-4-1").exists())

    def test_an_item_or_a_paper_of_a_published_agenda_cannot_be_left_out(self) -> None:
        document = export_records("prg")
        n, may = meeting_of(document, "2019-05-01")
        i, item = next((i, it) for i, it in enumerate(may["items"]) if it["number"] == "8")
        item["papers"] = []
        may["items"] = [it for it in may["items"] if it["number"] != "9"]
        errors = self.refused(document)
        messages = dict(errors)
        self.assertIn(f"bodies[0].meetings[{n}].items", messages)
        self.assertIn("The file leaves out item 9", messages[f"bodies[0].meetings[{n}].items"])
        paper_errors = messages[f"bodies[0].meetings[{n}].items[{i}].papers"]
        self.assertRegex(paper_errors, r"The file leaves out the paper '.+' of item 8")
        self.assertIn("Record a correction", paper_errors)
        # Refused whole: nothing of the file was written, nothing was removed.
        self.assertTrue(AgendaItem.objects.filter(meeting__key="2019-05-01", number="9").exists())
        self.assertTrue(Paper.objects.filter(key="vru-delivery-model").exists())
