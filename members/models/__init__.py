"""Bodies, their versioned terms of reference, people and appointments.

One module per aggregate; everything is re-exported here, so `from members.models import X`
works and Django finds the models.
"""

from __future__ import annotations

from members.models.appointment import Appointment, AppointmentQuerySet
from members.models.body import RESERVED_SLUGS, Body, Sector, validate_body_slug
from members.models.declarations import DeclarationConfirmation, DeclarationRound
from members.models.person import Interest, Person
from members.models.reminders import AppointmentEndReminder
from members.models.terms import QuorumGroup, Seat, TermsOfReference

__all__ = [
    "RESERVED_SLUGS",
    "Appointment",
    "AppointmentEndReminder",
    "AppointmentQuerySet",
    "Body",
    "DeclarationConfirmation",
    "DeclarationRound",
    "Interest",
    "Person",
    "QuorumGroup",
    "Seat",
    "Sector",
    "TermsOfReference",
    "validate_body_slug",
]
