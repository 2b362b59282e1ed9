"""The decisions rule (vru_governance/rules/decisions.py): an outcome and its reservations fit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vru_governance.rules.decisions import reservations_problem

OUTCOMES = ["", "agreed", "agreed_with_reservations", "not_agreed", "noted", "deferred"]


def test_agreed_with_reservations_needs_at_least_one() -> None:
    problem = reservations_problem("8", "agreed_with_reservations", 0)
    assert problem is not None and problem.startswith("Item 8 is recorded as agreed with")
    assert reservations_problem("8", "agreed_with_reservations", 2) is None


def test_a_reservation_against_a_consensus_names_the_outcome_to_record() -> None:
    problem = reservations_problem("8", "agreed", 2, "Agreed by consensus")
    assert problem == (
        "Item 8 records 2 reservations, so its outcome is 'Agreed with reservations', not "
        "'Agreed by consensus': change the outcome, or remove the reservations (a member who "
        "did not agree records dissent)."
    )


def test_reservations_may_wait_for_the_outcome_to_be_recorded() -> None:
    assert reservations_problem("8", "", 1) is None


@given(st.sampled_from(OUTCOMES), st.integers(min_value=0, max_value=5))
def test_the_rule_refuses_exactly_the_unfitting_pairs(outcome: str, reservations: int) -> None:
    fits = (outcome == "agreed_with_reservations") == (reservations > 0) or (
        outcome == "" and reservations > 0
    )
    assert (reservations_problem("1", outcome, reservations) is None) == fits
