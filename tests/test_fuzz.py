"""Property-based tests: generated input (unicode, control characters, overlong strings, odd
numbers and dates, payloads) posted to the workspace's and the partners' forms never gets a
server error, and generated records documents are imported whole or refused whole."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
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
from members.accounts import ensure_groups
from members.models import Appointment, Body, Interest, Person, Seat, TermsOfReference
from members.records.importer import RecordsError, import_records
from reports.models import Paper
from tests.demo import load_demo

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# What a form may answer; anything else (500 above all) is a bug.
ANSWERS = {200, 302, 400, 404, 409}

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ secret }}{% debug %}",
    '"><svg onload=alert(1)>',
    "Robert'); DROP TABLE members_person;--",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\ue000\ue001",
    "\r\nX-Injected: yes",
    "   ",
    "",
]
ODD_NUMBERS = ["0", "-1", "²", "٣", "1e9", "9" * 25, "9" * 5000, "1.5", "NaN", "+7", "0x10"]
ODD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2019-02-30",
    "2019-13-01",
    "0000-00-00",
    "1900-01-01",
    "2019-06-12T00:00",
    "12/06/2019",
]
ODD_TIMES = ["00:00", "23:59", "24:00", "25:61", "-1:00", "noon", "14:00:00.999999"]

texts = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.text(min_size=300, max_size=5000),
    st.sampled_from(PAYLOADS),
)
numbers = st.one_of(st.integers().map(str), st.sampled_from(ODD_NUMBERS))
dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(ODD_DATES))
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(ODD_TIMES))
anything = st.one_of(texts, numbers, dates, times)


GOOD = {
    "text": st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(PAYLOADS[:5])),
    "number": st.integers(0, 5).map(str),
    "date": st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31)).map(lambda d: d.isoformat()),
    "time": st.times().map(lambda t: t.strftime("%H:%M")),
}
ODD = {"text": texts, "number": numbers, "date": dates, "time": times}


@dataclass(frozen=True)
class Field:
    """A form field's values: good ones (to reach the rules behind the form) and odd ones."""

    good: st.SearchStrategy[str]
    odd: st.SearchStrategy[str]


def value(kind: str, plausible: list[str] | None = None) -> Field:
    good = st.sampled_from(plausible) if plausible else GOOD[kind]
    return Field(good=good, odd=st.one_of(ODD[kind], anything))


def form(**fields: Field | st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """Either any of the fields with any values (a browser need not send every one), or
    every field good but one or two odd ones, so that the services see odd input too."""
    both = {k: f if isinstance(f, Field) else Field(f, f) for k, f in fields.items()}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, str]:
        if draw(st.booleans()):
            anyhow = {k: st.one_of(f.good, f.odd) for k, f in both.items()}
            return draw(st.fixed_dictionaries({}, optional=anyhow))
        odd = draw(st.sets(st.sampled_from(sorted(both)), max_size=2))
        return {k: draw(f.odd if k in odd else f.good) for k, f in both.items()}

    return build()


class FuzzWorld:
    @classmethod
    def build(cls) -> None:
        load_demo()
        secretariat, partners = ensure_groups()
        cls.body = Body.objects.get(slug="prg")
        cls.secretary = User.objects.create_user("secretary")
        cls.secretary.groups.add(secretariat)
        cls.body.secretaries.add(cls.secretary)
        cls.partner = User.objects.create_user("partner")
        cls.partner.groups.add(partners)
        cls.jake = Person.objects.get(key="jake-ferguson")
        Person.objects.filter(pk=cls.jake.pk).update(user=cls.partner)
        cls.march_action = Action.objects.filter(meeting__key="2019-03-06").first()
        cls.jake_action = Action.objects.create(
            meeting=Meeting.objects.get(key="2019-03-06"),
            item=AgendaItem.objects.get(meeting__key="2019-03-06", number="9"),
            key="fuzz-action",
            description="Jake's action.",
            status="open",
            confirmed=True,
            position=99,
        )
        ActionOwner.objects.create(action=cls.jake_action, person=cls.jake, position=0)
        cls.appointment = Appointment.objects.filter(body=cls.body, end__isnull=True).first()
        cls.interest = Interest.objects.create(person=cls.jake, description="Trustee.")

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def answer(self, client: Client, url: str, data: dict[str, str], get: bool = False) -> None:
        response = client.get(url, data) if get else client.post(url, data)
        assert response.status_code in ANSWERS, f"{url} {data!r}: {response.status_code}"


class WorkspaceFormFuzzTests(FuzzWorld, TestCase):
    """The secretary's forms answer generated input with a page or a redirect, never a 500."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build()

    @FUZZ
    @given(
        which=st.sampled_from(["new", "details", "add", "item", "move", "remove"]),
        data=st.data(),
    )
    def test_meeting_and_agenda_forms(self, which: str, data: st.DataObject) -> None:
        june = "/manage/prg/meetings/2019-06-12/agenda/"
        version = value("number", ["", "", "0", "1"])
        fields = {
            "new": (
                "/manage/prg/meetings/",
                form(
                    date=value("date", ["2019-07-24"]),
                    start_time=value("time", ["14:00"]),
                    end_time=value("time", ["16:00", ""]),
                    place=value("text"),
                    planned=value("number"),
                ),
            ),
            "details": (
                june,
                form(
                    details=st.just("1"),
                    date=value("date", ["2019-06-12"]),
                    start_time=value("time", ["14:00"]),
                    end_time=value("time", [""]),
                    place=value("text"),
                    version=version,
                ),
            ),
            "add": (
                june,
                form(
                    add=st.just("1"),
                    **{
                        "add-title": value("text", ["An item"]),
                        "add-presenter": value("text"),
                        "add-kind": value("text", ["business", "aob"]),
                        "add-sub_item": value("text", ["on"]),
                        "add-after": value("number"),
                        "add-version": version,
                    },
                ),
            ),
            "item": (
                f"{june}items/4/",
                form(
                    title=value("text", ["Actions"]),
                    presenter=value("text"),
                    kind=value("text", ["business", "actions_arising"]),
                    sub_item=value("text", ["on"]),
                    version=version,
                ),
            ),
            "move": (
                f"{june}items/4/move/",
                form(direction=value("text", ["up", "down"]), version=version),
            ),
            "remove": (f"{june}items/4/remove/", form(version=version)),
        }
        url, strategy = fields[which]
        self.answer(self.client_for(self.secretary), url, data.draw(strategy))

    @FUZZ
    @given(data=st.data(), upload=st.booleans())
    def test_paper_form(self, data: st.DataObject, upload: bool) -> None:
        url = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/new/"
        sections = {
            key: value("text")
            for key in ("executive_summary", "recommendations", "equality_comments", "issues")
        }
        posted = data.draw(
            form(
                title=value("text", ["A paper"]),
                author=value("text"),
                classification=value("text", ["public", "exempt", "partners"]),
                exemption_section=value("text", ["s.43"]),
                exemption_reason=value("text"),
                exemption_review_on=value("date", [""]),
                final=value("text", ["on"]),
                **sections,
            )
        )
        if upload:
            from django.core.files.uploadedfile import SimpleUploadedFile

            content = data.draw(st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b))
            posted["upload"] = SimpleUploadedFile("p.pdf", content, "application/pdf")
            url += "?as=upload"
        self.answer(self.client_for(self.secretary), url, posted)

    @settings(FUZZ, max_examples=20)  # each answer renders the whole minutes page
    @given(which=st.sampled_from(["item", "declaration", "dissent", "closing"]), data=st.data())
    def test_minutes_forms(self, which: str, data: st.DataObject) -> None:
        may = "/manage/prg/meetings/2019-05-01/minutes/"
        person = value("number", [str(self.jake.pk)])
        strategies = {
            "item": (
                f"{may}items/5/",
                form(
                    outcome=value("text", ["noted", "agreed", ""]),
                    version=value("number", ["", "", "0", "1"]),
                    **{
                        "p-TOTAL_FORMS": value("number", ["1", "2"]),
                        "p-INITIAL_FORMS": value("number", ["0"]),
                        "p-0-text": value(
                            "text", ["Noted.", "Agreed.\nAction: Jake Ferguson", "x\nAction: Clerk"]
                        ),
                        "p-0-id": value("number"),
                        "p-0-DELETE": value("text", ["on"]),
                        "p-1-text": value("text"),
                    },
                ),
            ),
            "declaration": (
                f"{may}items/5/declarations/",
                form(
                    **{
                        "decl-person": person,
                        "decl-interest": value("text"),
                        "decl-withdrew": value("text", ["on"]),
                    }
                ),
            ),
            "dissent": (
                f"{may}items/5/dissent/",
                form(**{"dissent-person": person, "dissent-text": value("text")}),
            ),
            "closing": (may, form(end_time=value("time"), version=value("number", ["", "1"]))),
        }
        url, strategy = strategies[which]
        self.answer(self.client_for(self.secretary), url, data.draw(strategy))

    @FUZZ
    @given(
        which=st.sampled_from(["person", "interest", "appoint", "end", "terms", "plan", "action"]),
        data=st.data(),
    )
    def test_members_plan_and_action_forms(self, which: str, data: st.DataObject) -> None:
        person_key = "jake-ferguson"
        action = self.march_action
        seats = {
            f"seats-{i}-{k}": value("text", [v])
            for i, (k, v) in enumerate(
                [("key", "chair"), ("label", "Chair"), ("sector", "chair"), ("count", "1")]
            )
        }
        strategies = {
            "person": (
                "/manage/prg/people/new/",
                form(
                    name=value("text", ["Ada Lovelace"]),
                    role=value("text"),
                    organisation=value("text"),
                    email=value("text", ["ada@example.org"]),
                ),
            ),
            "interest": (
                f"/manage/prg/people/{person_key}/interests/",
                form(
                    category=value("text", ["other"]),
                    description=value("text"),
                    registered_on=value("date"),
                ),
            ),
            "appoint": (
                "/manage/prg/members/appoint/",
                form(
                    person=value("number", [str(self.jake.pk)]),
                    seat_key=value("text", ["community", "chair"]),
                    start=value("date", ["2019-02-01"]),
                    end=value("date", [""]),
                    exception=value("text"),
                ),
            ),
            "end": (f"/manage/prg/members/{self.appointment.pk}/end/", form(end=value("date"))),
            "terms": (
                "/manage/prg/terms/new/",
                form(
                    save=st.just("1"),
                    version=value("text", ["2020"]),
                    title=value("text", ["Terms 2020"]),
                    effective_from=value("date"),
                    text=value("text"),
                    community_min_share=value("number", ["0.30"]),
                    quorum_fraction=value("text", ["1/2", "0/0", "9999999999/1"]),
                    agenda_notice_days=value("number", ["5"]),
                    interval=value("text", ["28-42", "²-³", "9999999999-1"]),
                    **{
                        "seats-TOTAL_FORMS": value("number", ["1"]),
                        "seats-INITIAL_FORMS": value("number", ["0"]),
                        "groups-TOTAL_FORMS": value("number", ["0"]),
                        "groups-INITIAL_FORMS": value("number", ["0"]),
                    },
                    **seats,
                ),
            ),
            "plan": (
                "/manage/prg/forward-plan/",
                form(
                    title=value("text", ["Plan"]),
                    presenter=value("text"),
                    target_meeting=value("number"),
                    target_month=value("date"),
                    proposed_by=value("number", [str(self.jake.pk)]),
                    notes=value("text"),
                ),
            ),
            "action": (
                f"/manage/prg/actions/{action.meeting.key}/{action.key}/",
                st.one_of(
                    form(
                        description=value("text"),
                        deadline=value("date"),
                        ongoing=value("text", ["on"]),
                        owners=value("text", ["Clerk", "Jake Ferguson"]),
                        confirm=value("text", ["1"]),
                    ),
                    form(
                        update=st.just("1"),
                        status=value("text", ["open", "complete"]),
                        note=value("text"),
                        date=value("date"),
                    ),
                ),
            ),
        }
        url, strategy = strategies[which]
        self.answer(self.client_for(self.secretary), url, data.draw(strategy))

    @FUZZ
    @given(
        which=st.sampled_from(["roster", "actions", "search", "meetings", "api"]),
        q=st.one_of(st.sampled_from([*PAYLOADS, *ODD_NUMBERS, *ODD_DATES]), anything),
    )
    def test_query_strings(self, which: str, q: str) -> None:
        client = self.client_for(self.secretary)
        pages = {
            "roster": ("/manage/prg/members/", {"on": q}),
            "actions": (
                "/manage/prg/actions/",
                {"meeting": q, "owner": q, "status": q, "sort": q, "body": q},
            ),
            "search": ("/search/", {"q": q, "year": q, "body": q}),
            "meetings": ("/prg/meetings/", {"year": q, "page": q}),
            "api": ("/api/bodies/prg/meetings/", {"year": q, "page": q}),
        }
        url, params = pages[which]
        self.answer(client, url, params, get=True)


class PartnerFormFuzzTests(FuzzWorld, TestCase):
    """The partners' forms answer generated input with a page or a redirect, never a 500."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build()

    @FUZZ
    @given(which=st.sampled_from(["update", "interest", "edit", "propose"]), data=st.data())
    def test_partner_forms(self, which: str, data: st.DataObject) -> None:
        action = self.jake_action
        prefix = f"action-{action.pk}"
        body = f"propose-{self.body.pk}"
        interest = {
            "interest-category": value("text", ["other", "gift"]),
            "interest-description": value("text"),
            "interest-registered_on": value("date"),
            "interest-ended_on": value("date", [""]),
        }
        strategies = {
            "update": (
                f"/partners/prg/actions/2019-03-06/{action.key}/",
                form(
                    **{
                        f"{prefix}-status": value("text", ["open", "complete"]),
                        f"{prefix}-note": value("text"),
                    }
                ),
            ),
            "interest": ("/partners/interests/", form(**interest)),
            "edit": (f"/partners/interests/{self.interest.pk}/", form(**interest)),
            "propose": (
                "/partners/prg/propose/",
                form(
                    **{
                        f"{body}-title": value("text", ["An idea"]),
                        f"{body}-presenter": value("text"),
                        f"{body}-notes": value("text"),
                        f"{body}-target_meeting": value("number"),
                        f"{body}-target_month": value("date", ["2019-09"]),
                    }
                ),
            ),
        }
        url, strategy = strategies[which]
        self.answer(self.client_for(self.partner), url, data.draw(strategy))


# The importer ----------------------------------------------------------------------------


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
