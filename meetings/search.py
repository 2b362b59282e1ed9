"""Search across published agendas, public papers and published minutes.

PostgreSQL: full-text search computed on the fly (SearchVector, websearch SearchQuery,
SearchRank, SearchHeadline), English stemming. SQLite: every word must appear
(icontains), ranked by where and how often the words occur. Both search only what the
public may see, whoever asks, and build their snippets by escaping the text first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, NullIf
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from meetings.published import (
    AGENDA_PUBLIC_STATUSES,
    MINUTES_PUBLIC_STATUSES,
    PUBLIC,
    document_url,
    meeting_url,
    paper_url,
    published_meetings,
)
from members import access
from members.models import Body
from reports.models import SECTION_KEYS, Paper

CONFIG = "english"
PER_KIND = 200  # the best matches kept of each kind before they are merged
START, STOP = "\ue000", "\ue001"  # private-use characters: never in typed text
SNIPPET_CHARS = 240
T = TypeVar("T")
_MARKDOWN = re.compile(r"[*_#>`|]+|\[|\]\([^)]*\)")


@dataclass
class Result:
    """One search hit: what it is, where it leads, a highlighted snippet, its rank."""

    kind: str
    title: str
    url: str
    meeting: Meeting
    snippet: SafeString
    rank: float


def years(body: Body | None = None) -> list[int]:
    """Years with published meetings, newest first (for the year filter)."""
    meetings = published_meetings()
    if body is not None:
        meetings = meetings.filter(body=body)
    return sorted({d.year for d in meetings.dates("date", "year")}, reverse=True)


def search(query: str, *, body: Body | None = None, year: int | None = None) -> list[Result]:
    """Ranked results for the query, best first; empty for an empty query."""
    query = query.strip()
    if not query:
        return []
    scope = Q()
    if body is not None:
        scope &= Q(meeting__body=body)
    if year is not None:
        scope &= Q(meeting__date__year=year)
    items = AgendaItem.objects.filter(scope, meeting__status__in=AGENDA_PUBLIC_STATUSES)
    papers = Paper.objects.filter(
        _under_item(scope),
        classification=Paper.Classification.PUBLIC,
        item__meeting__status__in=AGENDA_PUBLIC_STATUSES,
    )
    paragraphs = MinuteParagraph.objects.filter(
        _under_item(scope), item__meeting__status__in=MINUTES_PUBLIC_STATUSES
    )
    backend = _PostgresSearch(query) if connection.vendor == "postgresql" else _SimpleSearch(query)
    results = [
        *backend.items(items.select_related("meeting__body")),
        *backend.papers(papers.select_related("item__meeting__body")),
        *_best_per_item(backend.minutes(paragraphs.select_related("item__meeting__body"))),
    ]
    results.sort(key=lambda r: (-r.rank, -r.meeting.date.toordinal(), r.title))
    return results


def _under_item(scope: Q) -> Q:
    """The same filter, one relation further (papers and paragraphs hang off an item)."""
    children = [(f"item__{key}", value) for key, value in scope.children]
    return Q(*children)


def _best_per_item(results: list[tuple[Result, int]]) -> list[Result]:
    best: dict[int, Result] = {}
    for result, item_id in results:
        if item_id not in best or result.rank > best[item_id].rank:
            best[item_id] = result
    return list(best.values())


# Results ---------------------------------------------------------------------------------


def _item_result(item: AgendaItem, snippet: SafeString, rank: float) -> Result | None:
    if not access.can_see_agenda(PUBLIC, item.meeting):
        return None
    return Result(
        "Agenda item",
        f"Item {item.number}: {item.title}",
        f"{meeting_url(item.meeting)}#item-{item.number}",
        item.meeting,
        snippet,
        rank,
    )


def _paper_result(paper: Paper, snippet: SafeString, rank: float) -> Result | None:
    if not access.can_see_paper(PUBLIC, paper):
        return None
    meeting = paper.item.meeting
    return Result("Paper", paper.title, paper_url(meeting, paper), meeting, snippet, rank)


def _minutes_result(
    para: MinuteParagraph, snippet: SafeString, rank: float
) -> tuple[Result, int] | None:
    meeting = para.item.meeting
    if not access.can_see_minutes(PUBLIC, meeting):
        return None
    result = Result(
        "Minutes",
        f"Minutes, item {para.item.number}: {para.item.title}",
        f"{document_url(meeting, 'minutes/')}#item-{para.item.number}",
        meeting,
        snippet,
        rank,
    )
    return result, para.item_id


def _plain(text: str) -> str:
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


# PostgreSQL ------------------------------------------------------------------------------


class _PostgresSearch:
    """Full-text search with ranks and headlines computed by PostgreSQL."""

    def __init__(self, query: str) -> None:
        self.query = SearchQuery(query, search_type="websearch", config=CONFIG)

    def _run(self, qs: QuerySet, vector: Combinable, headline_source: Combinable) -> list:
        return list(
            qs.annotate(document=vector)
            .filter(document=self.query)
            .annotate(
                rank=SearchRank(vector, self.query),
                headline=SearchHeadline(
                    headline_source,
                    self.query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "pk")[:PER_KIND]
        )

    @staticmethod
    def _snippet(headline: str) -> SafeString:
        text = escape(_plain(headline))
        # The markers are the only markup, put in after the text was escaped.
        return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # nosec B703, B308

    @staticmethod
    def _vector(*weighted: tuple[str, str]) -> Combinable:
        vectors = [SearchVector(name, weight=w, config=CONFIG) for name, w in weighted]
        combined = vectors[0]
        for v in vectors[1:]:
            combined = combined + v
        return combined

    def items(self, qs: QuerySet[AgendaItem]) -> list[Result]:
        vector = self._vector(("title", "A"), ("presenter", "B"))
        source = Concat(F("title"), Value(". "), F("presenter"), output_field=TextField())
        found = self._run(qs, vector, source)
        return _kept(_item_result(i, self._snippet(i.headline), i.rank) for i in found)

    def papers(self, qs: QuerySet[Paper]) -> list[Result]:
        vector = self._vector(
            ("title", "A"),
            ("executive_summary", "B"),
            ("recommendations", "B"),
            *(
                (key, "C")
                for key in SECTION_KEYS
                if key not in ("executive_summary", "recommendations")
            ),
        )
        source = Func(
            Value(" … "),
            *(NullIf(F(key), Value("")) for key in SECTION_KEYS),
            function="CONCAT_WS",
            output_field=TextField(),
        )
        found = self._run(qs, vector, source)
        return _kept(_paper_result(p, self._snippet(p.headline), p.rank) for p in found)

    def minutes(self, qs: QuerySet[MinuteParagraph]) -> list[tuple[Result, int]]:
        vector = self._vector(("text", "B"))
        found = self._run(qs, vector, F("text"))
        return _kept(_minutes_result(p, self._snippet(p.headline), p.rank) for p in found)


def _kept(results: Iterable[T | None]) -> list[T]:
    return [r for r in results if r is not None]


# SQLite ----------------------------------------------------------------------------------


class _SimpleSearch:
    """Every word must appear somewhere in the record (case-insensitive)."""

    MAX_WORDS = 8

    def __init__(self, query: str) -> None:
        words = [w.strip("\"'").lower() for w in query.split()]
        self.words = [w for w in dict.fromkeys(words) if w][: self.MAX_WORDS]
        self.pattern = (
            re.compile("|".join(re.escape(w) for w in self.words), re.IGNORECASE)
            if self.words
            else None
        )

    def _filter(self, qs: QuerySet, fields: list[str]) -> QuerySet:
        for word in self.words:
            any_field = Q()
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(any_field)
        return qs if self.words else qs.none()

    def _count(self, text: str) -> int:
        return len(self.pattern.findall(text)) if self.pattern else 0

    def _snippet(self, text: str) -> SafeString:
        text = _plain(text)
        match = self.pattern.search(text) if self.pattern else None
        start = max(0, (match.start() if match else 0) - SNIPPET_CHARS // 3)
        if start:
            start = text.find(" ", start) + 1 or start
        window = text[start : start + SNIPPET_CHARS]
        prefix = "… " if start else ""
        suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
        return format_html("{}{}{}", prefix, highlighted(window, self.pattern), suffix)

    def items(self, qs: QuerySet[AgendaItem]) -> list[Result]:
        found = self._filter(qs, ["title", "presenter"]).order_by("pk")[: PER_KIND * 5]
        out = []
        for item in found:
            rank = 3 * self._count(item.title) + self._count(item.presenter)
            text = f"{item.title}. {item.presenter}" if item.presenter else item.title
            out.append(_item_result(item, self._snippet(text), float(rank)))
        return _kept(out)

    def papers(self, qs: QuerySet[Paper]) -> list[Result]:
        found = self._filter(qs, ["title", *SECTION_KEYS]).order_by("pk")[: PER_KIND * 5]
        out = []
        for paper in found:
            body = " … ".join(getattr(paper, key) for key in SECTION_KEYS if getattr(paper, key))
            rank = 3 * self._count(paper.title) + self._count(body)
            out.append(_paper_result(paper, self._snippet(body or paper.title), float(rank)))
        return _kept(out)

    def minutes(self, qs: QuerySet[MinuteParagraph]) -> list[tuple[Result, int]]:
        found = self._filter(qs, ["text"]).order_by("pk")[: PER_KIND * 5]
        return _kept(
            _minutes_result(p, self._snippet(p.text), float(self._count(p.text))) for p in found
        )
