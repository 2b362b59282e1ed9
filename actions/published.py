"""The public action log: actions agreed at meetings whose minutes the reader may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from actions.models import CLOSED, Action, ActionOwner
from meetings import access
from meetings.access import AnyUser
from meetings.models import Meeting
from members.models import Body

# The filters the page offers: open (open and ongoing), closed, or every action.
STATUS_FILTERS = {"open": "Open and ongoing", "closed": "Complete or superseded", "all": "All"}


def action_log(user: AnyUser, body: Body, status: str) -> QuerySet[Action]:
    """Confirmed actions of the body's meetings with minutes the reader may see, newest
    meeting first; owners prefetched (paginate it: two queries a page, and the count)."""
    statuses = (
        Meeting.MINUTES_CIRCULATED_STATUSES
        if access.is_secretary(user, body) or access.is_partner(user, body)
        else Meeting.MINUTES_PUBLIC_STATUSES
    )
    actions = Action.objects.filter(
        meeting__body=body, meeting__status__in=statuses, confirmed=True
    )
    if status == "open":
        actions = actions.exclude(status__in=CLOSED)
    elif status == "closed":
        actions = actions.filter(status__in=CLOSED)
    owners = ActionOwner.objects.select_related("person").order_by("position", "pk")
    return (
        actions.select_related("meeting__body", "item")
        .prefetch_related(Prefetch("owners", queryset=owners))
        .order_by("-meeting__date", "meeting__start_time", "position", "pk")
    )
