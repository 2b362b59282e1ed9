"""The chair's brief: per item the quorum, who declares and withdraws, the recommendation to
put and the previous decision, for partners and secretaries only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Declaration, Meeting
from members.models import Interest, Person
from reports.documents.pack import Audience, build_pack
from tests.pdfs import read_pdf
from tests.world import Cast
from vru_governance.records.serialise import item_record

URL = "/prg/meetings/2019-05-01/chairs-brief.pdf"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def brief_text(cast: Cast) -> str:
    meeting = Meeting.objects.get(body=cast.body, key="2019-05-01")
    jake = Person.objects.get(key="jake-ferguson")
    Interest.objects.create(
        person=jake,
        category=Interest.Category.DIRECTORSHIP,
        description="Trustee of the Youth Futures Trust",
        registered_on=dt.date(2019, 1, 1),
    )
    Interest.objects.create(
        person=jake,
        description="An interest that ended",
        registered_on=dt.date(2018, 1, 1),
        ended_on=dt.date(2018, 6, 1),
    )
    Declaration.objects.create(
        item=meeting.items.get(number="9"),
        person=jake,
        interest="Trustee of the Youth Futures Trust, a bidder",
        withdrew=True,
    )
    # The secretary allows minutes for items 1 and 2 in the workspace; item 3 has none.
    secretary = signed_in(cast.secretary)
    for number in ("1", "2"):
        item = meeting.items.get(number=number)
        secretary.post(
            reverse("workspace:item", kwargs={"body": "prg", "key": meeting.key, "number": number}),
            {
                "title": item.title,
                "kind": item.kind,
                "minutes_allowed": "5",
                "version": item.version,
            },
        )
    assert list(
        meeting.items.filter(number__in=["1", "2"]).values_list("minutes_allowed", flat=True)
    ) == [5, 5]
    # The records format carries the minutes allowed (export and import).
    assert item_record(meeting.items.get(number="1"))["minutes_allowed"] == 5
    response = secretary.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return read_pdf(b"".join(response.streaming_content)).all_text()


def test_the_brief_holds_quorum_interests_recommendations_and_previous_decisions(
    brief_text: str,
) -> None:
    assert "CHAIR'S BRIEF" in brief_text
    # Timed from the start of the meeting by the minutes allowed.
    assert "Timing 2pm to 2:05pm (5 minutes)" in brief_text
    assert "Timing 2:05pm to 2:10pm (5 minutes)" in brief_text
    assert "3 Minutes of last meeting Timing from 2:10pm" in brief_text
    # The quorum from the meeting's quorum computation, and the groups of the ToR in force.
    assert "Quorum needed 12 of 23 members" in brief_text
    assert "Required groups Chair or Deputy Chair; Assistant Commissioner" in brief_text
    # Who declared in advance on item 9, and that they withdraw.
    assert "Jake Ferguson: Trustee of the Youth Futures Trust, a bidder — withdraws" in brief_text
    # The register in force on the meeting date of those expected (not ended entries).
    assert "Directorship or trusteeship Trustee of the Youth Futures Trust" in brief_text
    assert "An interest that ended" not in brief_text
    # Item 10's recommendation as recorded on the item.
    assert "The Reference Group is asked to comment on and approve the proposal." in brief_text
    # Item 6 "Violence in Numbers" of 1 May 2019 was agreed on 6 March 2019 as item 4.
    assert "Previous decision 6 March 2019, item 4: Agreed by consensus" in brief_text


def test_only_the_boards_partners_and_secretaries_may_read_the_brief(cast: Cast) -> None:
    assert Client().get(URL).status_code == 404
    assert signed_in(cast.outsider).get(URL).status_code == 403
    assert signed_in(cast.other_secretary).get(URL).status_code == 403
    response = signed_in(cast.partner).get(URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_workspace_and_the_partners_dashboard_link_the_brief(cast: Cast) -> None:
    agenda = signed_in(cast.secretary).get(
        reverse("workspace:agenda", kwargs={"body": "prg", "key": "2019-05-01"})
    )
    assert URL in agenda.content.decode()
    # The dashboard lists each meeting's documents as the meeting page does (meeting_documents).
    page = signed_in(cast.partner).get("/prg/meetings/2019-05-01/")
    assert URL in page.content.decode()
    assert URL not in Client().get("/prg/meetings/2019-05-01/").content.decode()


def test_only_the_partners_agenda_lists_the_register_under_declarations(brief_text: str) -> None:
    meeting = Meeting.objects.get(body__slug="prg", key="2019-05-01")
    partners = build_pack(meeting, Audience.PARTNERS, with_pack=False).agenda
    public = build_pack(meeting, Audience.PUBLIC, with_pack=False).agenda
    assert partners is not None and public is not None
    text = read_pdf(partners.pdf).all_text()
    assert "Registered interests of the partners expected (partners only):" in text
    assert (
        "Jake Ferguson: Trustee of the Youth Futures Trust (directorship or trusteeship)." in text
    )
    assert "An interest that ended" not in text
    assert "Youth Futures Trust" not in read_pdf(public.pdf).all_text()
