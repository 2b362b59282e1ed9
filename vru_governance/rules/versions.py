"""Optimistic locking: a save made from a form opened before someone else saved is refused.

Every editable record carries a version number; a workflow locks the row, compares the version
the form was opened with (check_version) and raises it after saving (bump_version).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

# The version a form or button gives when it sent none: no record has it, so check_version
# refuses the save as out of date. (None means no form at all: the importer, the shell.)
NOT_GIVEN = -1


class EditConflict(ValidationError):
    """Someone else saved the record since this form was opened (optimistic locking).

    `current` is the version saved now: a form shown again carries it, so that saving again
    after reviewing the other person's change is accepted."""

    def __init__(self, message: str, *, current: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.current = current


def check_version(
    obj: models.Model,
    version: int | None,
    what: str,
    *,
    typed: bool = True,
    field: str = "version",
) -> None:
    """Refuse a save made from a stale form; the caller holds the row lock on obj and shows the
    typed values back (or, for a button such as Up or Remove, the page as it is now)."""
    current = getattr(obj, field)
    if version is None or version == current:
        return
    if typed:
        raise EditConflict(
            f"Someone else saved {what} while you were editing it, so your changes were not "
            "saved. What you typed is shown below beside the current version: review it and "
            "save again.",
            current=current,
        )
    raise EditConflict(
        f"Someone else changed {what} since you opened the page, so nothing was changed. "
        "Check it as it is now and try again.",
        current=current,
    )


def bump_version(obj: models.Model, field: str = "version") -> None:
    """Raise the version (the caller holds the row lock) so stale forms are refused."""
    setattr(obj, field, getattr(obj, field) + 1)
    obj.save(update_fields=[field])
