"""What a search finds: hits as ranked, results as shown, and how each kind of record becomes
one (its title, its address, and access's say on whether the public may see it)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings import access
from meetings.models import AgendaItem, Meeting, MinuteParagraph
from reports.models import Paper
from reports.published import PUBLIC, meeting_url

CONFIG = "english"
PER_KIND = 200  # the best matches kept of each kind before they are merged
# A search's engine puts these around each match in the stored text; a random part new for each
# search, so that no stored text can hold them (U+E000/U+E001 alone could be typed in).
MARKER_PREFIX = "xhit"
SNIPPET_CHARS = 240
_MARKDOWN = re.compile(r"[*_#>`|]+|\[|\]\([^)]*\)")


@dataclass
class Result:
    """One search hit as shown: what it is, where it leads, a highlighted snippet, its rank."""

    kind: str
    title: str
    url: str
    meeting: Meeting
    snippet: SafeString
    rank: float


@dataclass
class Hit:
    """A match as ranked, before it is shown: enough to sort, count and page through."""

    kind: str  # "item", "paper" or "minutes"
    pk: int
    rank: float
    date: dt.date  # of the meeting
    title: str  # as the result will be titled
    item_id: int
    result: Result | None = None  # built while ranking on SQLite; by `results` on PostgreSQL
    record: dict[str, Any] | None = None  # on PostgreSQL, the columns it was ranked with


def item_title(number: str, title: str) -> str:
    return f"Item {number}: {title}"


def minutes_title(number: str, title: str) -> str:
    return f"Minutes, item {number}: {title}"


class Urls:
    """Each meeting's address, reversed once however many of its records are found."""

    def __init__(self) -> None:
        self.found: dict[int, str] = {}

    def meeting(self, meeting: Meeting) -> str:
        if meeting.pk not in self.found:
            self.found[meeting.pk] = meeting_url(meeting)
        return self.found[meeting.pk]


def item_hit(item: AgendaItem, snippet: SafeString, rank: float, urls: Urls) -> Hit | None:
    if not access.can_see_agenda(PUBLIC, item.meeting):
        return None
    result = Result(
        "Agenda item",
        item_title(item.number, item.title),
        f"{urls.meeting(item.meeting)}#item-{item.number}",
        item.meeting,
        snippet,
        rank,
    )
    return Hit("item", item.pk, rank, item.meeting.date, result.title, item.pk, result)


def paper_hit(paper: Paper, snippet: SafeString, rank: float, urls: Urls) -> Hit | None:
    if not access.can_see_paper(PUBLIC, paper):
        return None
    meeting = paper.item.meeting
    # published.paper_url, from the meeting's address found once
    url = f"{urls.meeting(meeting)}papers/{paper.key}.pdf"
    result = Result("Paper", paper.title, url, meeting, snippet, rank)
    return Hit("paper", paper.pk, rank, meeting.date, result.title, paper.item_id, result)


def minutes_hit(para: MinuteParagraph, snippet: SafeString, rank: float, urls: Urls) -> Hit | None:
    meeting = para.item.meeting
    if not access.can_see_minutes(PUBLIC, meeting):
        return None
    result = Result(
        "Minutes",
        minutes_title(para.item.number, para.item.title),
        # published.document_url(meeting, "minutes/"), from the meeting's address found once
        f"{urls.meeting(meeting)}minutes/#item-{para.item.number}",
        meeting,
        snippet,
        rank,
    )
    return Hit("minutes", para.pk, rank, meeting.date, result.title, para.item_id, result)


def markers() -> tuple[str, str]:
    """A new pair of match markers: letters and digits only, so that they pass through an
    engine's options, a SQL string, `plain` and escaping unchanged."""
    nonce = secrets.token_hex(12)
    return f"{MARKER_PREFIX}{nonce}s", f"{MARKER_PREFIX}{nonce}e"


def plain(text: str) -> str:
    """Markdown punctuation out of a snippet; whitespace folded."""
    return " ".join(_MARKDOWN.sub(" ", text).split())


def highlighted(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """Escape the text, then wrap each match of the pattern in <mark>."""
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    # Every piece was escaped above.
    return mark_safe("".join(pieces))  # nosec B703, B308
