"""Decisions (DESIGN, "Decisions"): how an item's outcome and its reservations fit, pure and
free of Django. Quorum for an agreed outcome is the quorum rule's (AgendaItem.check_quorate).
"""

from __future__ import annotations

__all__ = ["AGREED_WITH_RESERVATIONS", "reservations_problem"]

AGREED_WITH_RESERVATIONS = "agreed_with_reservations"


def reservations_problem(
    number: str, outcome: str, reservations: int, outcome_label: str = ""
) -> str | None:
    """Why an item's outcome and its reservations do not fit, or None when they do.

    An item agreed with reservations records at least one, with its reason; reservations are
    recorded only against an item agreed with them (or whose outcome is not recorded yet)."""
    if outcome == AGREED_WITH_RESERVATIONS and reservations == 0:
        return (
            f"Item {number} is recorded as agreed with reservations, but no reservation is "
            "recorded: record each reservation, with its reason, first."
        )
    if reservations and outcome and outcome != AGREED_WITH_RESERVATIONS:
        count = f"{reservations} reservation{'s' if reservations != 1 else ''}"
        return (
            f"Item {number} records {count}, so its outcome is 'Agreed with reservations', "
            f"not '{outcome_label or outcome}': change the outcome, or remove the reservations "
            "(a member who did not agree records dissent)."
        )
    return None
