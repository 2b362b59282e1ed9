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
    """A time in GOV.UK style: '2pm', '3:55pm', '10am', 'midday', 'midnight'.

    The one way a time prints, on pages, in feeds and in documents (the GOV.UK style guide:
    no '.00', no space before am/pm, 'midday' and 'midnight' rather than 12pm and 12am)."""
    if time is None:
        return ""
    if time.minute == 0 and time.hour in (0, 12):
        return "midnight" if time.hour == 0 else "midday"
    hour = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    return f"{hour}{minutes}{'am' if time.hour < 12 else 'pm'}"


def clock_range(start: dt.time | None, end: dt.time | None) -> str:
    """'2pm to 3:55pm'; the start alone when there is no end."""
    if start is None:
        return clock(end)
    return f"{clock(start)} to {clock(end)}" if end is not None else clock(start)


def file_size(size: int) -> str:
    """'290 KB', '1.2 MB', '512 bytes' (decimal units, as GOV.UK attachment labels)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


def pdf_label(size: int | None, pages: int | None) -> str:
    """What a PDF link says it is: 'PDF, 290 KB, 42 pages'; only what is known is said."""
    parts = ["PDF"]
    if size:
        parts.append(file_size(size))
    if pages:
        parts.append(f"{pages} page" if pages == 1 else f"{pages} pages")
    return ", ".join(parts)


def surname(name: str) -> str:
    """The family name to sort by: the last word that is not an honour (OBE, AM)."""
    words = [w for w in name.replace(",", " ").split() if not HONOURS.match(w)]
    return words[-1].lower() if words else name.lower()


def member_order(name: str, sector: str | None = None) -> tuple[int, str, str]:
    """The sort key of a member in a list of members (the agenda's partners, those present in
    the minutes): chair, deputy chair, deputy mayors first, then everyone by family name.
    `sector` is that of the seat they hold; None for anyone who does not sit as a member."""
    return (LEADING_SECTORS.get(sector or "", len(LEADING_SECTORS)), surname(name), name)
