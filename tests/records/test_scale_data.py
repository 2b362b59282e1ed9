"""Generated records for `make bench`: deterministic, valid against the schema and every rule
of the importer, and the measured pages' query counts stay the same as the records double."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from vru_governance.records.importer import import_records
from vru_governance.records.loadtest import PARTNER, SECRETARY, make_accounts, pages
from vru_governance.records.scale import counts, generate
from vru_governance.records.schema import schema_errors, validator

TINY = 0.05  # six meetings per body
BODIES = 2


def test_the_same_seed_gives_the_same_document_and_another_seed_another() -> None:
    first = generate(scale=TINY, bodies=BODIES, seed=7)
    assert generate(scale=TINY, bodies=BODIES, seed=7) == first
    assert generate(scale=TINY, bodies=BODIES, seed=8) != first


def test_the_tiny_document_is_valid_against_the_schema() -> None:
    document = generate(scale=TINY, bodies=BODIES)
    assert [e.message for e in validator().iter_errors(document)] == []
    assert schema_errors(document) == []


def test_twice_the_scale_doubles_the_meetings_and_keeps_the_shape() -> None:
    small, large = counts(generate(scale=TINY)), counts(generate(scale=2 * TINY))
    assert small["bodies"] == large["bodies"] == 5
    assert small["meetings"] == 30 and large["meetings"] == 60
    assert 1.6 < large["minute paragraphs"] / small["minute paragraphs"] < 2.6


def test_a_decade_has_the_sizes_of_the_issue() -> None:
    found = counts(generate())
    assert found["meetings"] == 600
    assert 7_500 <= found["agenda items"] <= 8_500
    assert 28_000 <= found["minute paragraphs"] <= 33_000
    assert 11_000 <= found["actions"] <= 13_500
    assert 380 <= found["people"] <= 430
    assert 1_800 <= found["papers"] <= 2_300


@pytest.mark.django_db(transaction=True)
def test_the_tiny_document_imports_cleanly_with_every_record() -> None:
    document = generate(scale=TINY, bodies=BODIES)
    summary = import_records(document)
    expected = {kind: n for kind, n in counts(document).items() if n}
    assert {kind: summary.created[kind] for kind in expected} == expected
    assert summary.updated == {}
    # Every kind of meeting status the pages need is there, and agreed items were quorate.
    statuses = set(Meeting.objects.values_list("status", flat=True))
    assert {"minutes_published", "minutes_draft", "agenda_published", "draft"} <= statuses
    # A second import of the same file changes nothing.
    assert not import_records(document).changed


def test_the_command_writes_the_file_with_a_progress_bar(tmp_path: Path) -> None:
    output = tmp_path / "records.json"
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "generate_scale_data", output=str(output), scale=TINY, bodies=1, stdout=out, stderr=err
    )
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document == generate(scale=TINY, bodies=1)
    assert "6 meetings" in out.getvalue()
    assert "Generating meetings: 100% (6/6" in err.getvalue()
    assert not (tmp_path / "records.json.partial").exists()


def test_the_command_refuses_a_scale_of_zero(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="scale must be above 0"):
        call_command("generate_scale_data", output=str(tmp_path / "x.json"), scale=0)
    assert not (tmp_path / "x.json").exists()


class QueryCountsAtTwoScales(TestCase):
    def counts(self) -> dict[str, int]:
        secretary, partner = make_accounts("not-used-here")
        clients = {"public": Client(), "partner": Client(), "secretary": Client()}
        clients["partner"].force_login(partner)
        clients["secretary"].force_login(secretary)
        found = {}
        for page in pages():
            client = clients[page.who]
            assert client.get(page.url).status_code == 200, page.url  # warm the session
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page.url)
            assert response.status_code == 200, page.url
            self.assert_shows_records(page.name, response.content.decode())
            found[page.name] = len(ctx.captured_queries)
        return found

    # What each page shows of the generated records (not an empty shell).
    SHOWS = {
        "meeting page": "Declarations of Interest",
        "meetings list": "Violence Reduction Partnership",
        "search": "<mark>",
        "partner dashboard": "North London",
        "attendance page": "Apologies",
        "minutes editor": "Declarations of Interest",
    }

    def assert_shows_records(self, name: str, text: str) -> None:
        assert self.SHOWS[name] in text, name

    def counts_at(self, scale: float) -> dict[str, int]:
        with transaction.atomic():
            import_records(generate(scale=scale, bodies=BODIES))
            found = self.counts()
            transaction.set_rollback(True)
        return found

    def test_the_measured_pages_run_as_many_queries_when_the_records_double(self) -> None:
        small = self.counts_at(TINY)
        large = self.counts_at(2 * TINY)
        assert large == small
        assert set(small) == set(self.SHOWS)
        assert all(n > 0 for n in small.values())


def test_accounts_are_the_bench_secretary_and_partner(db: None) -> None:
    import_records(generate(scale=TINY, bodies=BODIES))
    secretary, partner = make_accounts("pw-for-the-test")
    assert (secretary.username, partner.username) == (SECRETARY, PARTNER)
    assert secretary.secretary_of.count() == BODIES
    assert partner.person.appointments.filter(end__isnull=True).exists()
    assert partner.check_password("pw-for-the-test")
