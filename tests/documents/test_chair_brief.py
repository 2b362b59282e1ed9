"""The chair's brief: per item the quorum, who declares and withdraws, the recommendation to
put and the previous decision, for partners and secretaries only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from meetings.models import Declaration, Meeting
from members.models import Interest, Person
from tests.pdfs import read_pdf
from tests.world import Cast

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
        person=jake, description="An interest that ended", registered_on=dt.date(2018, 1, 1),
        ended_on=dt.date(2018, 6, 1),
    )
    Declaration.objects.create(
        item=meeting.items.get(number="9"),
        person=jake,
        interest="Trustee of the Youth Futures Trust, a bidder",
        withdrew=True,
    )
    response = signed_in(cast.secretary).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return read_pdf(b"".join(response.streaming_content)).all_text()


def test_the_brief_gives_each_items_quorum_and_the_required_groups(brief_text: str) -> None:
    assert "CHAIR'S BRIEF" in brief_text
    assert "Quorum needed" in brief_text
    assert " of " in brief_text and "members" in brief_text
    assert "Chair or Deputy Chair" in brief_text


def test_the_brief_names_who_declares_and_withdraws_on_the_item(brief_text: str) -> None:
    assert "Jake Ferguson: Trustee of the Youth Futures Trust, a bidder — withdraws" in brief_text


def test_the_brief_lists_the_register_in_force_of_those_expected(brief_text: str) -> None:
    assert "Trustee of the Youth Futures Trust" in brief_text
    assert "An interest that ended" not in brief_text


def test_the_brief_puts_the_items_recommendation(brief_text: str) -> None:
    assert "The Partnership Reference Grou" in brief_text


def test_the_brief_gives_the_previous_decision_on_the_same_subject(brief_text: str) -> None:
    # Item 6 "Violence in Numbers" of 1 May 2019 was agreed on 6 March 2019 as item 4.
    assert "06/03/2019, item 4: Agreed by consensus" in brief_text or (
        "item 4: Agreed by consensus" in brief_text
    )


def test_the_public_gets_404_and_a_partner_of_another_body_403(cast: Cast) -> None:
    assert Client().get(URL).status_code == 404
    assert signed_in(cast.outsider).get(URL).status_code == 403


def test_a_partner_of_the_board_may_read_the_brief(cast: Cast) -> None:
    response = signed_in(cast.partner).get(URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
