"""Recording the past as the past: the dates a secretary types for a meeting entered as
history (its agenda published, its minutes circulated, approved and published).

The lifecycle services (publication.publish_agenda and the minutes steps) take these dates;
this module says what a date entered for a step may be and turns it into the stored stamp.
A step with an entered date e-mails no one and skips the checks that look forward (notice).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from vru_governance.rules.formats import short_date

# A date typed for a step is stored at midday, local time, so that no time zone moves it to
# the day before or after wherever it is shown.
MIDDAY = dt.time(12, 0)


def stamp(day: dt.date) -> dt.datetime:
    """The stored moment of a step entered as history on this day."""
    return timezone.make_aware(dt.datetime.combine(day, MIDDAY))


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def check_entered_date(
    field: str,
    what: str,
    day: dt.date,
    *,
    not_before: dt.date | None = None,
    not_before_what: str = "",
    not_after: dt.date | None = None,
    not_after_what: str = "",
    today: dt.date | None = None,
) -> None:
    """Refuse a date for a step that is in the future or out of order with the steps around
    it; the message names both dates."""
    today = today or timezone.localdate()
    if day > today:
        raise ValidationError(
            {
                field: f"The date {what} ({short_date(day)}) is in the future; history is "
                f"recorded up to today ({short_date(today)})."
            }
        )
    if not_before is not None and day < not_before:
        raise ValidationError(
            {
                field: f"The date {what} ({short_date(day)}) is before {not_before_what} "
                f"({short_date(not_before)})."
            }
        )
    if not_after is not None and day > not_after:
        raise ValidationError(
            {
                field: f"The date {what} ({short_date(day)}) is after {not_after_what} "
                f"({short_date(not_after)})."
            }
        )


def require_date_for_history(field: str, what: str, day: dt.date | None, history: bool) -> None:
    """A meeting entered as history takes every step on a date typed in, never the clock's."""
    if history and day is None:
        raise ValidationError(
            {
                field: f"This meeting is being recorded as history: enter the date {what}, "
                "as it happened."
            }
        )
