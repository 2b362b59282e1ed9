"""Property-based tests of the secretary's workspace: generated input (unicode, control
characters, overlong strings, odd numbers and dates, payloads) posted to its forms, or sent in
the query strings of its lists and of the public pages, never gets a server error."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.security.fuzz_world import (
    FUZZ,
    ODD_DATES,
    ODD_NUMBERS,
    PAYLOADS,
    FuzzWorld,
    anything,
    form,
    value,
)


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
            "remove": (
                f"{june}items/4/remove/",
                form(version=version, confirm=value("text", ["yes"])),
            ),
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
