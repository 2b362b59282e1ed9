"""Decisions in the workspace: the secretary records an item's decision on its minutes page
(recommendation as put, outcome, wording approved, reservations and dissent); the rules that
tie them (quorum, reservations, the stating paragraph) hold on every path; approved minutes
change their decisions only by correction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from meetings.models import AgendaItem, Dissent, Meeting, MinutesCorrection
from meetings.services import minutes_lifecycle as steps
from meetings.services.decisions import correct_decision
from meetings.services.minutes import (
    DecisionInput,
    ParagraphInput,
    add_dissent,
    save_item_minutes,
)
from members.models import Person
from reports.documents.minutes import build_minutes, minutes_html
from tests.workspace.test_workspace_minutes import paragraphs
from tests.world import DemoWorld

MAY = "/manage/prg/meetings/2019-05-01/minutes/"


class RecordingDecisionsTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")
        cls.jake = Person.objects.get(key="jake-ferguson")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def item(self, number: str) -> AgendaItem:
        return self.may.items.get(number=number)

    def post_decision(self, number: str, **decision: str) -> tuple[int, str]:
        item = self.item(number)
        data = {
            "version": item.version,
            "recommendation": item.recommendation,
            **paragraphs("Partners discussed the proposal."),
            **decision,
        }
        response = self.client.post(f"{MAY}items/{number}/", data)
        return response.status_code, response.content.decode()

    def test_the_item_page_offers_the_decision_with_the_recommendation_as_put(self) -> None:
        text = self.client.get(f"{MAY}items/10/").content.decode()
        assert "Recommendation as put" in text and "Wording approved" in text
        assert "The Reference Group is asked to comment on and approve the proposal." in text
        assert '<option value="agreed_with_reservations">Agreed with reservations' in text

    def test_the_secretary_records_a_decision_and_the_minutes_print_it(self) -> None:
        status, _ = self.post_decision(
            "10", outcome="noted", approved_wording="Partners **noted** the proposal."
        )
        assert status == 302
        item = self.item("10")
        assert (item.outcome, item.approved_wording) == (
            "noted",
            "Partners **noted** the proposal.",
        )
        html = " ".join(minutes_html(build_minutes(self.may)).split())
        assert (
            "Recommendation as put:</strong></p><p>The Reference Group is asked to comment" in html
        )
        assert "Outcome: Noted." in html
        assert (
            "Wording approved:</strong></p><p>Partners <strong>noted</strong> the proposal." in html
        )

    def test_an_item_without_a_decision_prints_none(self) -> None:
        printed = build_minutes(self.may)
        close = next(i for i in printed.items if i.number == "13")
        assert (close.recommendation, close.outcome, close.approved_wording) == ("", "", "")
        assert close.reservations == []
        html = minutes_html(printed)
        assert html.count("Recommendation as put") == 5  # the five papers' recommendations

    def test_an_inquorate_item_cannot_be_agreed_however_it_is_worded(self) -> None:
        # No attendance is recorded for 1 May: the one quorum rule refuses it.
        add_dissent(self.item("10"), person=self.jake, text="Cost.", kind="reservation")
        status, text = self.post_decision("10", outcome="agreed_with_reservations")
        assert status == 200
        assert "The meeting was not quorate for item 10" in text
        assert "cannot record &#x27;Agreed with reservations&#x27;" in text
        assert self.item("10").outcome == ""

    def test_agreed_with_reservations_needs_a_reservation_recorded_first(self) -> None:
        item = self.item("10")
        with pytest.raises(ValidationError) as exc:
            item.outcome = "agreed_with_reservations"
            item.check_reservations(0)
        assert "no reservation is recorded: record each reservation" in str(exc.value)

    def test_reservations_only_go_with_an_agreement_with_reservations(self) -> None:
        add_dissent(self.item("10"), person=self.jake, text="Cost.", kind="reservation")
        status, text = self.post_decision("10", outcome="not_agreed")
        assert status == 200
        assert "Item 10 records 1 reservation, so its outcome is" in text
        assert "not &#x27;Not agreed&#x27;" in text

    def test_the_minutes_cannot_be_circulated_while_a_decision_does_not_fit(self) -> None:
        save_item_minutes(
            self.item("10"),
            version=None,
            paragraphs=[ParagraphInput(pk=None, text="Partners discussed the proposal.")],
            outcome="not_agreed",
        )
        add_dissent(self.item("10"), person=self.jake, text="Cost.", kind="reservation")
        with pytest.raises(ValidationError) as exc:
            steps.circulate_minutes(self.may, self.secretary)
        assert "Item 10 records 1 reservation" in str(exc.value)

    def test_a_reservation_is_recorded_from_the_item_page_and_printed_apart_from_dissent(
        self,
    ) -> None:
        item = self.item("10")
        response = self.client.post(
            f"{MAY}items/10/dissent/",
            {
                "dissent-person": self.jake.pk,
                "dissent-kind": "reservation",
                "dissent-text": "Asked that the cost be reviewed.",
            },
        )
        assert response.status_code == 302
        add_dissent(item, person=self.jake, text="Objected to the proposal.")
        assert list(item.dissents.values_list("kind", flat=True)) == ["reservation", "dissent"]
        printed = next(i for i in build_minutes(self.may).items if i.number == "10")
        assert [name for name, _ in printed.reservations] == ["Jake Ferguson"]
        assert "cost be reviewed" in printed.reservations[0][1]
        assert "Objected" in printed.dissents[0][1] and len(printed.dissents) == 1

    def test_the_paragraph_stating_the_decision_must_be_one_of_the_items(self) -> None:
        status, text = self.post_decision("10", outcome="noted", decision_paragraph="2")
        assert status == 200
        assert "Item 10 has 1 minute paragraph, so none numbered 2 can state its decision." in text
        status, _ = self.post_decision("10", outcome="noted", decision_paragraph="1")
        assert status == 302
        printed = next(i for i in build_minutes(self.may).items if i.number == "10")
        assert printed.outcome == ""  # stated in 10.1: no separate outcome line

    def test_the_service_leaves_the_decision_texts_alone_without_a_decision(self) -> None:
        save_item_minutes(self.item("10"), version=None, paragraphs=[], outcome="noted")
        assert self.item("10").recommendation.startswith("The Reference Group is asked")
        save_item_minutes(
            self.item("10"),
            version=None,
            paragraphs=[],
            outcome="deferred",
            decision=DecisionInput(recommendation="Approve it."),
        )
        assert (self.item("10").recommendation, self.item("10").outcome) == (
            "Approve it.",
            "deferred",
        )


class ApprovedDecisionsTests(DemoWorld, TestCase):
    """The demo's 6 March 2019 minutes are published: their decisions are locked."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")

    def test_a_decision_of_approved_minutes_cannot_change_directly(self) -> None:
        item = self.march.items.get(number="7")
        for field, value in (
            ("outcome", "deferred"),
            ("recommendation", "A new recommendation."),
            ("approved_wording", "Other words."),
            ("decision_paragraph", 1),
        ):
            fresh = self.march.items.get(pk=item.pk)
            setattr(fresh, field, value)
            with pytest.raises(ValidationError) as exc:
                fresh.save()
            assert "The item's decision is part of the approved minutes" in str(exc.value)

    def test_no_reservation_can_be_added_to_approved_minutes(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Dissent.objects.create(
                item=self.march.items.get(number="7"),
                person=Person.objects.get(key="jake-ferguson"),
                kind="reservation",
                text="Late reservation.",
            )
        assert "approved minutes" in str(exc.value)

    def test_a_correction_changes_the_decision_with_its_reason(self) -> None:
        item = self.march.items.get(number="7")
        correct_decision(
            item,
            outcome="noted",
            recommendation="",
            approved_wording="Partners noted the proposals for the two groups.",
            decision_paragraph=2,
            reason="The wording approved was left out.",
            user=self.secretary,
        )
        item.refresh_from_db()
        assert item.approved_wording == "Partners noted the proposals for the two groups."
        correction = MinutesCorrection.objects.get(meeting=self.march)
        assert correction.what == "the decision of item 7"
        assert "Approved wording: (none)" in correction.before
        assert correction.reason == "The wording approved was left out."

    def test_the_secretary_corrects_a_decision_from_the_workspace(self) -> None:
        client = self.client_for(self.secretary)
        url = "/manage/prg/meetings/2019-03-06/minutes/items/7/decision/correct/"
        item = self.march.items.get(number="7")
        assert (
            "Correct the decision of item 7"
            in client.get("/manage/prg/meetings/2019-03-06/minutes/").content.decode()
        )
        response = client.post(
            url,
            {
                "version": item.version,
                "outcome": "deferred",
                "decision_paragraph": "",
                "reason": "The Chair deferred it.",
            },
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.outcome, item.decision_paragraph) == ("deferred", None)
        assert "Deferred" in client.get("/prg/decisions/?outcome=deferred").content.decode()
