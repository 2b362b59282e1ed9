"""Search across published agendas, public papers and published minutes.

Searching is in two steps, so that a page pays only for what it shows: `ranked` finds every
match with its rank (enough to sort, count and page through), and `results` turns the ones
a page shows into results with a highlighted snippet (hits.py: what is found; ranking.py:
what both engines share; postgres.py and fts5.py: the two engines).

The query is read once (query.py: PostgreSQL's websearch syntax, "phrases", -word, OR) and
means the same on both databases. PostgreSQL: full-text search (websearch SearchQuery,
SearchRank, SearchHeadline), English stemming, over a weighted document each row keeps in a
generated column with a GIN index (`search_document`, meetings/migrations/0005 and
reports/migrations/0007; not a model field). SQLite: an FTS5 index beside each table, kept by
triggers (reports/search_index.py), Porter stemming, bm25 with the same weights, FTS5
snippets. On both, ranking is one query that reads only the index and the titles; the
snippets, the costly part, come with the shown rows. Both search only what the public may
see, whoever asks (the queries keep to the published records, and each result shown passes
meetings.access), and build their snippets by escaping the text first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import FilteredRelation, Q
from django.db.models.functions import ExtractYear

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from members.models import Body
from reports.models import Paper
from reports.published import AGENDA_PUBLIC_STATUSES, MINUTES_PUBLIC_STATUSES
from vru_governance import page_cache
from vru_governance.public.search.fts5 import Fts5Search
from vru_governance.public.search.hits import Hit, Result, highlighted
from vru_governance.public.search.postgres import PostgresSearch
from vru_governance.public.search.query import Query, parse
from vru_governance.public.search.ranking import RankedSearch

__all__ = [
    "Filters",
    "Hit",
    "Result",
    "filters",
    "highlighted",
    "notice",
    "ranked",
    "results",
    "search",
]

FILTERS_KEY = "public-search:filters"


@dataclass
class Filters:
    """The boards a search can be narrowed to and the years each has published meetings."""

    bodies: list[Body]
    years_of: dict[int, set[int]]

    def years(self, body: Body | None = None) -> list[int]:
        """Years with published meetings of the body (of any body for None), newest first."""
        chosen = [body] if body is not None else self.bodies
        return sorted({y for b in chosen for y in self.years_of.get(b.pk, ())}, reverse=True)


def filters() -> Filters:
    """Every body by name, with the years of its published meetings: the same for every search,
    so kept with the cached pages, under the records' generation, while pages are cached."""
    return page_cache.kept_with_pages(FILTERS_KEY, _filters)


def _filters() -> Filters:
    """The filters from the database: one query for the bodies and their years."""
    rows = (
        Body.objects.annotate(
            published=FilteredRelation(
                "meetings", condition=Q(meetings__status__in=AGENDA_PUBLIC_STATUSES)
            ),
            year=ExtractYear("published__date"),
        )
        .order_by("name", "pk", "-year")
        .distinct()
    )
    bodies: dict[int, Body] = {}
    years_of: dict[int, set[int]] = {}
    for body in rows:
        bodies.setdefault(body.pk, body)
        if body.year is not None:
            years_of.setdefault(body.pk, set()).add(body.year)
    return Filters(list(bodies.values()), years_of)


def search(query: str, *, body: Body | None = None, year: int | None = None) -> list[Result]:
    """Every result for the query, best first; empty for an empty query."""
    return results(query, ranked(query, body=body, year=year))


def ranked(
    query: str,
    *,
    body: Body | None = None,
    year: int | None = None,
    meeting: Meeting | None = None,
) -> list[Hit]:
    """The matches for the query, best first; empty for an empty query. With `meeting`, only
    that meeting's records (what a saved search's alert reports when it is published)."""
    parsed = parse(query)
    if not parsed:
        return []
    scope = Q()
    if body is not None:
        scope &= Q(meeting__body=body)
    if meeting is not None:
        scope &= Q(meeting=meeting)
    if year is not None:
        scope &= Q(meeting__date__year=year)
    # What is public is asked as "not under an unpublished meeting": a short list of ids each
    # match is checked against, instead of a join of every match with its item and meeting.
    agenda_hidden = AgendaItem.objects.exclude(meeting__status__in=AGENDA_PUBLIC_STATUSES)
    minutes_hidden = AgendaItem.objects.exclude(meeting__status__in=MINUTES_PUBLIC_STATUSES)
    items = AgendaItem.objects.filter(scope).exclude(pk__in=agenda_hidden.values("pk"))
    papers = Paper.objects.filter(
        _under_item(scope), classification=Paper.Classification.PUBLIC
    ).exclude(item__in=agenda_hidden.values("pk"))
    paragraphs = MinuteParagraph.objects.filter(_under_item(scope)).exclude(
        item__in=minutes_hidden.values("pk")
    )
    hits = _best_per_item(_engine(parsed).hits(items, papers, paragraphs))
    hits.sort(key=lambda h: (-h.rank, -h.date.toordinal(), h.title))
    return hits


def results(query: str, hits: Iterable[Hit]) -> list[Result]:
    """The results of the hits, in their order, with their snippets (on PostgreSQL: two
    queries, their meetings and their snippets). A hit access would not show is left out."""
    hits = list(hits)
    pending = [h for h in hits if h.result is None]
    if pending:
        _engine(parse(query)).build(pending)
    return [h.result for h in hits if h.result is not None]


def notice(query: str) -> str:
    """Why a query typed can find nothing, in words for the reader; empty if it can."""
    parsed = parse(query)
    if parsed or not query.strip():
        return ""
    if parsed.only_exclusions:
        return (
            "Add a word to look for: a word with - before it only leaves out the records "
            "that contain it."
        )
    return (
        "Common words such as “the” and “of”, and punctuation, are not "
        "searched for on their own: add another word."
    )


def _engine(query: Query) -> RankedSearch:
    return PostgresSearch(query) if connection.vendor == "postgresql" else Fts5Search(query)


def _under_item(scope: Q) -> Q:
    """The same filter, one relation further (papers and paragraphs hang off an item)."""
    children = [(f"item__{key}", value) for key, value in scope.children]
    return Q(*children)


def _best_per_item(hits: list[Hit]) -> list[Hit]:
    """Items and papers, and the best-ranked paragraph of each item's minutes."""
    best: dict[int, Hit] = {}
    kept = []
    for hit in hits:
        if hit.kind != "minutes":
            kept.append(hit)
        elif hit.item_id not in best or (-hit.rank, hit.pk) < (
            -best[hit.item_id].rank,
            best[hit.item_id].pk,
        ):
            best[hit.item_id] = hit
    return kept + list(best.values())
