"""The annual declaration rounds in the records format and the open-data API: the rounds
round-trip through import and export, a file written before them still imports (and leaves the
recorded rounds alone), the importer applies the models' rules with the JSON path of what breaks
them, and the public API shows who confirmed by the date but never a note or contact details."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import DeclarationConfirmation, DeclarationRound
from tests.demo import DEMO_FILE, demo_document
from tests.records.test_records import _delete_everything
from tests.world import Cast
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records

NOTE = "Added my trusteeship of the Lambeth youth charity."

ROUND_2019 = {
    "due_on": "2019-04-30",
    "started_at": "2019-04-01T09:00:00+01:00",
    "asked_at": "2019-04-01T09:05:00+01:00",
    "reminded_on": "2019-04-29",
    "confirmations": [
        {
            "person": "sophie-linden",
            "confirmed_at": "2019-04-10T10:00:00+01:00",
            "updated": True,
            "note": NOTE,
        },
        {"person": "mark-simmons", "confirmed_at": "2019-05-03T16:30:00+01:00"},
    ],
}
ROUND_2018 = {
    "due_on": "2018-12-14",
    "started_at": "2018-11-01T12:00:00+00:00",
    "confirmations": [{"person": "sadiq-khan", "confirmed_at": "2018-11-20T08:15:00+00:00"}],
}


def with_rounds(*rounds: dict[str, Any]) -> dict[str, Any]:
    document = demo_document()
    document["bodies"][0]["declaration_rounds"] = copy.deepcopy(list(rounds))
    return document


def refused(document: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        import_records(document, base_dir=DEMO_FILE.parent)
    except RecordsError as exc:
        return exc.errors
    raise AssertionError("The import was accepted.")


class DeclarationRoundRecordsTests(TestCase):
    def test_rounds_round_trip_through_import_and_export(self) -> None:
        import_records(with_rounds(ROUND_2019, ROUND_2018), base_dir=DEMO_FILE.parent)
        exported = export_records("prg")
        rounds = exported["bodies"][0]["declaration_rounds"]
        # Exported by due date, each exactly as the file gave it.
        self.assertEqual(rounds, [ROUND_2018, ROUND_2019])
        confirmation = DeclarationConfirmation.objects.get(person__key="sophie-linden")
        self.assertEqual(confirmation.note, NOTE)
        self.assertTrue(confirmation.updated)
        # export -> import -> export is the same document, and the import changes nothing.
        summary = import_records(json.loads(json.dumps(exported)), base_dir=DEMO_FILE.parent)
        self.assertNotIn("declaration rounds", summary.created | summary.updated)
        self.assertNotIn("declaration confirmations", summary.created | summary.updated)
        self.assertEqual(export_records("prg"), exported)

    def test_rounds_restore_into_an_empty_database(self) -> None:
        """What `backup`/`restore` rely on: the export imports into a new server, whose
        confirmations are judged against the appointments the same file brings."""
        import_records(with_rounds(ROUND_2019, ROUND_2018), base_dir=DEMO_FILE.parent)
        exported = export_records("prg")
        DeclarationConfirmation.objects.all().delete()
        DeclarationRound.objects.all().delete()
        _delete_everything()
        import_records(json.loads(json.dumps(exported)), base_dir=DEMO_FILE.parent)
        self.assertEqual(export_records("prg"), exported)
        self.assertEqual(DeclarationConfirmation.objects.count(), 3)

    def test_an_older_file_without_rounds_imports_and_leaves_the_rounds_alone(self) -> None:
        import_records(with_rounds(ROUND_2019), base_dir=DEMO_FILE.parent)
        older = demo_document()
        self.assertNotIn("declaration_rounds", older["bodies"][0])
        import_records(older, base_dir=DEMO_FILE.parent)
        self.assertEqual(DeclarationRound.objects.count(), 1)
        self.assertEqual(DeclarationConfirmation.objects.count(), 2)
        # A later file may leave a confirmation out: it stays in the history.
        fewer = copy.deepcopy(ROUND_2019)
        fewer["confirmations"] = fewer["confirmations"][:1]
        import_records(with_rounds(fewer), base_dir=DEMO_FILE.parent)
        self.assertEqual(DeclarationConfirmation.objects.count(), 2)

    def test_the_importer_applies_the_round_rules_and_writes_nothing(self) -> None:
        # Lib Peck's appointment ended on 6 March 2019: not asked in April.
        not_member = copy.deepcopy(ROUND_2019)
        not_member["confirmations"].append(
            {"person": "lib-peck", "confirmed_at": "2019-04-11T09:00:00+01:00"}
        )
        errors = refused(with_rounds(not_member))
        self.assertIn("Lib Peck was not a member of the", errors[0][1])
        self.assertIn("on 11 April 2019, so was not asked to confirm.", errors[0][1])
        self.assertEqual(errors[0][0], "bodies[0].declaration_rounds[0].confirmations[2]")

        early = copy.deepcopy(ROUND_2019)
        early["confirmations"][0]["confirmed_at"] = "2019-03-20T09:00:00+00:00"
        errors = refused(with_rounds(early))
        self.assertEqual(errors[0][0], "bodies[0].declaration_rounds[0].confirmations[0]")
        self.assertIn("before the round started (1 April 2019)", errors[0][1])

        backwards = dict(ROUND_2019, due_on="2019-03-01")
        errors = refused(with_rounds(backwards))
        self.assertEqual(errors[0][0], "bodies[0].declaration_rounds[0]")
        self.assertIn("is before the round started", errors[0][1])

        errors = refused(with_rounds(ROUND_2019, ROUND_2019))
        self.assertEqual(
            errors,
            [("bodies[0].declaration_rounds[1].due_on", "Two rounds are due on 2019-04-30.")],
        )

        twice = copy.deepcopy(ROUND_2019)
        twice["confirmations"].append(twice["confirmations"][1])
        errors = refused(with_rounds(twice))
        self.assertEqual(errors[0][0], "bodies[0].declaration_rounds[0].confirmations[2]")

        bad_time = dict(ROUND_2019, started_at="2019-04-01")
        errors = refused(with_rounds(bad_time))
        self.assertIn("started_at", errors[0][0] + errors[0][1])

        unknown = copy.deepcopy(ROUND_2018)
        unknown["confirmations"][0]["person"] = "nobody-at-all"
        errors = refused(with_rounds(unknown))
        self.assertIn("No person with key 'nobody-at-all'", errors[0][1])
        self.assertEqual(DeclarationRound.objects.count(), 0)
        self.assertEqual(DeclarationConfirmation.objects.count(), 0)


API = "/api/bodies/prg/declaration-rounds/"


class DeclarationRoundApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_records(with_rounds(ROUND_2019), base_dir=DEMO_FILE.parent)

    def test_the_public_sees_who_confirmed_by_the_date_and_no_note_or_address(self) -> None:
        response = Client().get(API)
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        data = response.json()
        (round,) = data["rounds"]
        self.assertEqual((round["due_on"], round["started_on"]), ("2019-04-30", "2019-04-01"))
        self.assertTrue(round["current"])
        members = {m["person"]: m for m in round["members"]}
        self.assertEqual(
            members["sophie-linden"],
            {
                "person": "sophie-linden",
                "name": members["sophie-linden"]["name"],
                "confirmed": True,
                "confirmed_on": "2019-04-10",
                "by_due_date": True,
                "updated": True,
            },
        )
        late = members["mark-simmons"]
        self.assertEqual((late["confirmed"], late["by_due_date"]), (True, False))
        waiting = members["sadiq-khan"]
        self.assertEqual((waiting["confirmed"], waiting["confirmed_on"]), (False, None))
        # Lib Peck left on 6 March 2019: not asked in a round due on 30 April.
        self.assertNotIn("lib-peck", members)
        self.assertEqual(round["confirmed"], 2)
        self.assertEqual(round["asked"], len(round["members"]))
        # Never the note to the secretary, nor an e-mail address; the secretary's export has it.
        self.assertNotIn("trusteeship", text)
        self.assertNotIn("@", text)
        self.assertNotIn("note", text)
        exported = json.dumps(export_records("prg"))
        self.assertIn(NOTE, exported)

    def test_a_signed_in_secretary_gets_the_same_public_answer(self) -> None:
        from tests.world import account

        secretary = account("round-secretary", is_staff=True)
        client = Client()
        client.force_login(secretary)
        self.assertNotIn("trusteeship", client.get(API).content.decode())

    def test_unknown_body_is_a_problem_404(self) -> None:
        response = Client().get("/api/bodies/no-such-board/declaration-rounds/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_queries_do_not_grow_with_rounds(self) -> None:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as one:
            Client().get(API)
        import_records(with_rounds(ROUND_2019, ROUND_2018), base_dir=DEMO_FILE.parent)
        cache.clear()
        with CaptureQueriesContext(connection) as two:
            data = Client().get(API).json()
        self.assertEqual(len(data["rounds"]), 2)
        self.assertEqual(len(two), len(one))


def test_a_second_round_due_the_same_day_is_refused_in_the_workspace(cast: Cast) -> None:
    """The round's key in the records format (its due date) is kept unique by the model's own
    rule, so every export can be imported again."""
    secretary = Client()
    secretary.force_login(cast.secretary)
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page = "/manage/prg/members/declaration-round/"
    assert secretary.post(page, {"due_on": due}).status_code == 302
    again = secretary.post(page, {"due_on": due})
    assert again.status_code == 200
    assert "already has a round due on" in again.content.decode()
    assert DeclarationRound.objects.filter(body=cast.body).count() == 1


def test_the_secretary_page_costs_the_same_queries_however_many_earlier_rounds(
    cast: Cast,
) -> None:
    from members import declaration_rounds as rounds

    secretary = Client()
    secretary.force_login(cast.secretary)
    page = "/manage/prg/members/declaration-round/"
    today = timezone.localdate()
    rounds.start_round(body=cast.body, due_on=today + dt.timedelta(days=10), by=None)
    rounds.start_round(body=cast.body, due_on=today + dt.timedelta(days=20), by=None)
    with CaptureQueriesContext(connection) as few:
        secretary.get(page)
    for days in (30, 40, 50):
        rounds.start_round(body=cast.body, due_on=today + dt.timedelta(days=days), by=None)
    with CaptureQueriesContext(connection) as many:
        text = secretary.get(page).content.decode()
    assert text.count(" 0 confirmed</li>") == 4
    assert len(many) == len(few)
