"""Meetings and their lifecycle, agenda items, attendance, minutes and the forward plan.

One module per aggregate; everything is re-exported here, so `from meetings.models import X`
works and Django finds the models.
"""

from __future__ import annotations

from meetings.models.agenda import (
    PRESENTER_LEADS,
    AgendaItem,
    StandardItem,
    item_sort_key,
    presenter_line,
)
from meetings.models.alerts import AlertSubscription
from meetings.models.attendance import Attendance, check_no_double_count
from meetings.models.mail import MailDelivery
from meetings.models.meeting import ChecklistAcknowledgement, Meeting, compute_quorum
from meetings.models.minutes import (
    Declaration,
    Dissent,
    MinuteParagraph,
    MinutesCorrection,
    paragraph_numbers,
)
from meetings.models.plan import ForwardPlanItem

__all__ = [
    "AgendaItem",
    "AlertSubscription",
    "Attendance",
    "ChecklistAcknowledgement",
    "Declaration",
    "Dissent",
    "ForwardPlanItem",
    "PRESENTER_LEADS",
    "MailDelivery",
    "Meeting",
    "MinuteParagraph",
    "MinutesCorrection",
    "check_no_double_count",
    "compute_quorum",
    "item_sort_key",
    "paragraph_numbers",
    "presenter_line",
    "StandardItem",
]
