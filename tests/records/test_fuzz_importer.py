"""Property-based tests of the records importer: generated records documents (the minimal
valid one mutated, random JSON, random bytes given to the command) are imported whole or
refused whole with a clear error, never with another error."""

from __future__ import annotations

import copy
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from actions.models import Action, ActionOwner, ActionUpdate
from meetings.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Dissent,
    ForwardPlanItem,
    Meeting,
    MinuteParagraph,
)
from members.models import Appointment, Body, Person, Seat, TermsOfReference
from reports.models import Paper
from tests.security.fuzz_world import FUZZ, dates, texts, times
from vru_governance.records.importer import RecordsError, import_records


def minimal_records() -> dict[str, Any]:
    """A small valid records document touching every kind of record."""
    return {
        "format": "vru-governance-records/1",
        "bodies": [
            {
                "slug": "fuzz",
                "name": "Fuzz Board",
                "terms_of_reference": [
                    {
                        "version": "v1",
                        "title": "Terms",
                        "status": "endorsed",
                        "effective_from": "2020-01-01",
                        "community_min_share": "0.30",
                        "quorum": {
                            "fraction": "1/2",
                            "required": [{"label": "Chair", "any_of": ["chair"]}],
                        },
                        "seats": [
                            {"key": "chair", "label": "Chair", "sector": "chair", "count": 1},
                            {
                                "key": "community",
                                "label": "Community",
                                "sector": "community",
                                "count": "share",
                            },
                        ],
                    }
                ],
                "people": [
                    {"key": "ann", "name": "Ann Chair", "email": "ann@example.org"},
                    {"key": "bo", "name": "Bo Community"},
                    {"key": "cy", "name": "Cy Guest", "role": "Officer"},
                ],
                "memberships": [
                    {"person": "ann", "seat": "chair", "start": "2020-01-01"},
                    {"person": "bo", "seat": "community", "start": "2020-01-01", "end": None},
                ],
                "meetings": [
                    {
                        "key": "2020-02-01",
                        "date": "2020-02-01",
                        "start": "14:00",
                        "end": "16:00",
                        "place": "Town Hall",
                        "status": "minutes_published",
                        "attendance": [
                            {"person": "ann", "capacity": "member"},
                            {"person": "bo", "capacity": "member", "remote": True},
                            {"person": "cy", "capacity": "in_attendance", "from_item": "2"},
                        ],
                        "items": [
                            {"number": "1", "title": "Apologies", "kind": "apologies"},
                            {
                                "number": "2",
                                "title": "Report",
                                "kind": "business",
                                "presenter": "Cy Guest",
                                "outcome": "agreed",
                                "minutes": ["The board **agreed** the report."],
                                "declarations": [{"person": "bo", "interest": "Trustee"}],
                                "dissent": [{"person": "ann", "text": "Objected."}],
                                "papers": [
                                    {
                                        "key": "report",
                                        "title": "Report",
                                        "classification": "public",
                                        "final": True,
                                        "sections": {
                                            "executive_summary": "1.1 Summary.",
                                            "equality_comments": "Considered.",
                                        },
                                    }
                                ],
                                "actions": [
                                    {
                                        "key": "2020-02-01-2-1",
                                        "description": "Write to the council.",
                                        "owners": ["ann", "Clerk"],
                                        "deadline": "2020-03-01",
                                        "status": "complete",
                                        "status_note": "Sent.",
                                        "updates": [{"date": "2020-02-20", "status": "complete"}],
                                    }
                                ],
                            },
                        ],
                    }
                ],
            }
        ],
    }


def import_counts() -> dict[str, int]:
    models = [
        Body,
        TermsOfReference,
        Seat,
        Person,
        Appointment,
        Meeting,
        AgendaItem,
        Attendance,
        MinuteParagraph,
        Declaration,
        Dissent,
        Paper,
        Action,
        ActionOwner,
        ActionUpdate,
        ForwardPlanItem,
    ]
    return {m.__name__: m.objects.count() for m in models}


def paths_of(value: Any, here: tuple = ()) -> list[tuple]:
    """Every place in a document a mutation can reach."""
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_of(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_of(child, (*here, index))
    return found


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    texts,
    dates,
    times,
    st.sampled_from(["share", "nobody", "ann", "chair", "2", "99", "public", "exempt"]),
)
json_values = st.recursive(
    json_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated_records(draw: st.DrawFn) -> dict[str, Any]:
    """The minimal document with one to three of its values replaced, removed or added to."""
    doc = minimal_records()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths_of(doc)))
        if not path:
            continue
        *parent_path, last = path
        parent: Any = doc
        for part in parent_path:
            parent = parent[part]
        kind = draw(st.sampled_from(["replace", "remove", "add", "duplicate"]))
        if kind == "replace":
            parent[last] = draw(json_values)
        elif kind == "remove":
            del parent[last]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(json_values)
        elif kind == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return doc


class ImporterFuzzTests(TestCase):
    """Generated documents are imported whole or refused whole, never with another error."""

    def test_the_minimal_document_is_valid(self) -> None:
        summary = import_records(minimal_records())
        assert summary.created["papers"] == 1 and summary.created["action updates"] == 1

    def import_whole_or_nothing(self, doc: Any) -> None:
        before = import_counts()
        try:
            import_records(doc)
        except RecordsError as exc:
            assert exc.errors, "a refusal says why"
            assert all(isinstance(p, str) and isinstance(m, str) for p, m in exc.errors)
            assert import_counts() == before, "a refused import wrote something"

    @FUZZ
    @given(doc=mutated_records())
    def test_mutated_documents_are_imported_whole_or_refused_whole(self, doc: dict) -> None:
        self.import_whole_or_nothing(doc)

    @FUZZ
    @given(doc=json_values)
    def test_random_json_is_refused(self, doc: Any) -> None:
        self.import_whole_or_nothing(doc)

    @settings(FUZZ, max_examples=30)
    @given(
        content=st.one_of(
            st.binary(max_size=200),
            st.text(max_size=200).map(str.encode),
            json_values.map(lambda v: json.dumps(v).encode()),
            mutated_records().map(lambda d: json.dumps(d).encode()),
        )
    )
    def test_the_command_refuses_any_file_with_a_clear_error(self, content: bytes) -> None:
        folder = Path(tempfile.mkdtemp(prefix="vru-fuzz-"))
        try:
            path = folder / "records.json"
            path.write_bytes(content)
            before = import_counts()
            try:
                call_command(
                    "import_records", str(path), stdout=io.StringIO(), stderr=io.StringIO()
                )
            except CommandError as exc:
                assert str(exc)
                assert import_counts() == before
        finally:
            shutil.rmtree(folder, ignore_errors=True)
