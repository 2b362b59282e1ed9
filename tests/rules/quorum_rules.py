"""The quorum rules of the terms of reference, for the quorum tests: the five required groups
(their labels are what an inquorate item reports missing) and half the members needed.
tests/rules/test_quorum.py judges hand-made meetings by them; tests/rules/test_quorum_properties.py
draws its own meetings and rules, with these groups.
"""

from __future__ import annotations

from fractions import Fraction

from vru_governance.rules.quorum import Group, Rules

CHAIR = "Chair or Deputy Chair"
POLICE = "Police member"
COUNCILS = "London Councils member"
HEALTH = "Health member"
COMMUNITY = "Community member"


def groups(police_representative: bool = False) -> tuple[Group, ...]:
    """The required groups of the ToR, the police one optionally allowing a representative."""
    return (
        Group(CHAIR, frozenset({"chair", "deputy_chair"})),
        Group(POLICE, frozenset({"police"}), representative_allowed=police_representative),
        Group(COUNCILS, frozenset({"london_councils"})),
        Group(HEALTH, frozenset({"health"})),
        Group(COMMUNITY, frozenset({"community"})),
    )


def rules(
    substitutes_count: bool = True,
    remote_counts: bool = False,
    police_representative: bool = False,
) -> Rules:
    """Half the members, with the five required groups."""
    return Rules(
        fraction=Fraction(1, 2),
        substitutes_count=substitutes_count,
        remote_counts=remote_counts,
        groups=groups(police_representative),
    )
