"""Template filters that print times and file labels as GOV.UK does, everywhere the same.

Thin wrappers over vru_governance/rules/formats.py, which the documents and feeds use too.
"""

from __future__ import annotations

import datetime as dt

from django import template

from vru_governance.rules import formats

register = template.Library()


@register.filter
def govuk_time(value: dt.time | dt.datetime | None) -> str:
    """{{ meeting.start_time|govuk_time }} -> '2pm'."""
    if isinstance(value, dt.datetime):
        value = value.time()
    return formats.clock(value)


@register.filter
def govuk_time_range(start: dt.time | None, end: dt.time | None) -> str:
    """{{ meeting.start_time|govuk_time_range:meeting.end_time }} -> '2pm to 3:55pm'."""
    return formats.clock_range(start, end)


@register.filter
def pdf_label(document: object) -> str:
    """'PDF, 290 KB, 42 pages' for anything with `size` and `pages` (a stored document)."""
    return formats.pdf_label(getattr(document, "size", None), getattr(document, "pages", None))
