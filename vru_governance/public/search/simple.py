"""SQLite search: every word must appear (icontains), ranked by where and how often the words
occur; the results, with their snippets, are built while ranking."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString

from meetings.models import AgendaItem, MinuteParagraph
from reports.models import SECTION_KEYS, Paper
from vru_governance.public.search.hits import (
    PER_KIND,
    SNIPPET_CHARS,
    Hit,
    Urls,
    highlighted,
    item_hit,
    minutes_hit,
    paper_hit,
    plain,
)


class SimpleSearch:
    """Every word must appear somewhere in the record (case-insensitive)."""

    MAX_WORDS = 8

    def __init__(self, query: str) -> None:
        self.urls = Urls()
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
        text = plain(text)
        match = self.pattern.search(text) if self.pattern else None
        start = max(0, (match.start() if match else 0) - SNIPPET_CHARS // 3)
        if start:
            start = text.find(" ", start) + 1 or start
        window = text[start : start + SNIPPET_CHARS]
        prefix = "… " if start else ""
        suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
        return format_html("{}{}{}", prefix, highlighted(window, self.pattern), suffix)

    def hits(self, items: QuerySet, papers: QuerySet, paragraphs: QuerySet) -> list[Hit]:
        found = [
            *self._items(items.select_related("meeting__body")),
            *self._papers(papers.select_related("item__meeting__body")),
            *self._minutes(paragraphs.select_related("item__meeting__body")),
        ]
        return [h for h in found if h is not None]

    def _items(self, qs: QuerySet[AgendaItem]) -> Iterable[Hit | None]:
        for item in self._filter(qs, ["title", "presenter"]).order_by("pk")[: PER_KIND * 5]:
            rank = 3 * self._count(item.title) + self._count(item.presenter)
            text = f"{item.title}. {item.presenter}" if item.presenter else item.title
            yield item_hit(item, self._snippet(text), float(rank), self.urls)

    def _papers(self, qs: QuerySet[Paper]) -> Iterable[Hit | None]:
        for paper in self._filter(qs, ["title", *SECTION_KEYS]).order_by("pk")[: PER_KIND * 5]:
            body = " … ".join(getattr(paper, key) for key in SECTION_KEYS if getattr(paper, key))
            rank = 3 * self._count(paper.title) + self._count(body)
            yield paper_hit(paper, self._snippet(body or paper.title), float(rank), self.urls)

    def _minutes(self, qs: QuerySet[MinuteParagraph]) -> Iterable[Hit | None]:
        for para in self._filter(qs, ["text"]).order_by("pk")[: PER_KIND * 5]:
            rank = float(self._count(para.text))
            yield minutes_hit(para, self._snippet(para.text), rank, self.urls)
