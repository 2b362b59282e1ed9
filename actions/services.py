"""Workflows on the action log."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from actions.models import Action, ActionUpdate


@transaction.atomic
def add_update(
    action: Action,
    *,
    status: str,
    note: str,
    author: User | None,
    date: dt.date | None = None,
) -> ActionUpdate:
    """Record a status update and make it the action's current status (kept in its history)."""
    update = ActionUpdate(
        action=action, status=status, note=note, author=author, date=date or dt.date.today()
    )
    update.full_clean()
    update.save()
    action.status = status
    action.status_note = note
    action.full_clean()
    action.save()
    return update
