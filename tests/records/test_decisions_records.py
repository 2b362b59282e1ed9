"""Decisions in the records format: the new item fields round-trip through import and export,
a file written before them still imports (and leaves recorded decisions alone), and the
decision rules are applied with the JSON path of what breaks them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import TestCase

from meetings.models import AgendaItem, Dissent
from tests.demo import DEMO_FILE, demo_document
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records

NEW_ITEM_FIELDS = ("recommendation", "approved_wording", "decision_paragraph", "reservations")


def item_of(document: dict[str, Any], meeting: str, number: str) -> dict[str, Any]:
    body = document["bodies"][0]
    found = next(m for m in body["meetings"] if m["key"] == meeting)
    return next(i for i in found["items"] if i["number"] == number)


def with_reservations() -> dict[str, Any]:
    """The demo with item 4 of 6 March 2019 agreed with reservations and a dissent."""
    document = demo_document()
    item = item_of(document, "2019-03-06", "4")
    item.update(
        {
            "recommendation": "Partners are asked to agree the data approach.",
            "outcome": "agreed_with_reservations",
            "approved_wording": "The data approach is agreed.",
            "reservations": [{"person": "jake-ferguson", "text": "Asked for the cost first."}],
            "dissent": [{"person": "carolyn-downs", "text": "Objected to the timing."}],
        }
    )
    return document


def older(document: dict[str, Any]) -> dict[str, Any]:
    """The document as a file written before decisions: none of the new fields or outcomes."""
    document = copy.deepcopy(document)
    for body in document["bodies"]:
        for meeting in body["meetings"]:
            for item in meeting["items"]:
                for name in NEW_ITEM_FIELDS:
                    item.pop(name, None)
                if item.get("outcome") not in (None, "noted", "agreed", "deferred"):
                    item.pop("outcome")
    return document


class DecisionRecordsTests(TestCase):
    def test_the_decision_fields_round_trip_through_import_and_export(self) -> None:
        document = with_reservations()
        import_records(document, base_dir=DEMO_FILE.parent)
        exported = export_records("prg")
        item = item_of(exported, "2019-03-06", "4")
        wanted = item_of(document, "2019-03-06", "4")
        for name in ("recommendation", "outcome", "approved_wording", "decision_paragraph"):
            assert item[name] == wanted[name], name
        assert item["reservations"] == wanted["reservations"]
        assert item["dissent"] == wanted["dissent"]
        may = item_of(exported, "2019-05-01", "10")
        assert may["recommendation"] == item_of(document, "2019-05-01", "10")["recommendation"]
        # The export imports again as it is: nothing changes.
        assert not import_records(exported, base_dir=DEMO_FILE.parent).changed

    def test_the_demo_carries_the_march_outcomes_as_minuted(self) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        march = dict(
            AgendaItem.objects.filter(meeting__key="2019-03-06")
            .exclude(outcome="")
            .values_list("number", "outcome")
        )
        assert march == {"3": "noted", "4": "agreed", "7": "noted", "9": "noted"}
        recommended = AgendaItem.objects.filter(meeting__key="2019-05-01").exclude(
            recommendation=""
        )
        assert sorted(recommended.values_list("number", flat=True)) == ["10", "4", "7", "8", "9"]

    def test_a_file_written_before_decisions_imports(self) -> None:
        import_records(older(with_reservations()), base_dir=DEMO_FILE.parent)
        assert AgendaItem.objects.filter(meeting__key="2019-03-06").count() == 15
        assert not AgendaItem.objects.exclude(recommendation="").exists()
        assert not Dissent.objects.filter(kind=Dissent.Kind.RESERVATION).exists()

    def test_a_file_written_before_decisions_leaves_those_recorded_alone(self) -> None:
        document = demo_document()
        reservation = {"person": "jake-ferguson", "text": "Will ask about the cost."}
        item_of(document, "2019-05-01", "10")["reservations"] = [reservation]
        import_records(document, base_dir=DEMO_FILE.parent)
        # The older file again, over the records (6 March's minutes are locked, too).
        assert not import_records(older(document), base_dir=DEMO_FILE.parent).changed
        may = AgendaItem.objects.get(meeting__key="2019-05-01", number="10")
        assert may.recommendation.startswith("The Reference Group is asked to comment")
        assert list(may.dissents.values_list("kind", "text")) == [
            ("reservation", "Will ask about the cost.")
        ]
        march = AgendaItem.objects.get(meeting__key="2019-03-06", number="4")
        assert (march.outcome, march.decision_paragraph) == ("agreed", 2)

    def test_an_import_cannot_change_a_decision_of_approved_minutes(self) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        with pytest.raises(RecordsError) as exc:
            import_records(with_reservations(), base_dir=DEMO_FILE.parent)
        paths = dict(exc.value.errors)
        assert (
            "The item's decision is part of the approved minutes of the meeting of 6 March"
            in (paths["bodies[0].meetings[1].items[3]"])
        )

    def test_agreed_with_reservations_without_one_is_refused_with_its_path(self) -> None:
        document = with_reservations()
        del item_of(document, "2019-03-06", "4")["reservations"]
        with pytest.raises(RecordsError) as exc:
            import_records(document, base_dir=DEMO_FILE.parent)
        paths = dict(exc.value.errors)
        assert "no reservation is recorded" in paths["bodies[0].meetings[1].items[3].outcome"]

    def test_a_decision_paragraph_the_item_lacks_is_refused_with_its_path(self) -> None:
        document = demo_document()
        item_of(document, "2019-03-06", "4")["decision_paragraph"] = 7
        with pytest.raises(RecordsError) as exc:
            import_records(document, base_dir=DEMO_FILE.parent)
        assert any(
            path == "bodies[0].meetings[1].items[3].outcome" and "none numbered 7" in message
            for path, message in exc.value.errors
        )

    def test_the_schema_refuses_an_outcome_the_board_cannot_record(self) -> None:
        document = demo_document()
        item_of(document, "2019-03-06", "4")["outcome"] = "carried"
        with pytest.raises(RecordsError) as exc:
            import_records(document, base_dir=DEMO_FILE.parent)
        assert exc.value.errors[0][0] == "bodies[0].meetings[1].items[3].outcome"
