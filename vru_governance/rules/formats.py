"""How dates, times and names print in the documents, as the seed pack prints them."""

from __future__ import annotations

import datetime as dt
import re

HONOURS = re.compile(r"^(?:[A-Z]{2,4}|QC|KC|MP|AM)$")
# The seed agenda and minutes list the chair, the deputy chair and the deputy mayors first.
LEADING_SECTORS = {"chair": 0, "deputy_chair": 1, "deputy_mayor": 2}


def long_date(day: dt.date) -> str:
    """'Wednesday 1 May 2019'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """'1 May 2019'."""
    return f"{day.day} {day:%B %Y}"


def clock(time: dt.time | None) -> str:
    """'2.00 pm'."""
    if time is None:
        return ""
    hour = time.hour % 12 or 12
    return f"{hour}.{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


def surname(name: str) -> str:
    """The family name to sort by: the last word that is not an honour (OBE, AM)."""
    words = [w for w in name.replace(",", " ").split() if not HONOURS.match(w)]
    return words[-1].lower() if words else name.lower()


def member_order(name: str, sector: str | None = None) -> tuple[int, str, str]:
    """The sort key of a member in a list of members (the agenda's partners, those present in
    the minutes): chair, deputy chair, deputy mayors first, then everyone by family name.
    `sector` is that of the seat they hold; None for anyone who does not sit as a member."""
    return (LEADING_SECTORS.get(sector or "", len(LEADING_SECTORS)), surname(name), name)
