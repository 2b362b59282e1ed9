"""PostgreSQL full-text search: ranks from the documents each row keeps in a generated column
(meetings/migrations/0005, reports/migrations/0007), snippets only for the hits shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Func, Model, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, NullIf
from django.utils.safestring import SafeString

from meetings.models import AgendaItem, MinuteParagraph
from reports.models import SECTION_KEYS, Paper
from vru_governance.public.search.hits import CONFIG, PER_KIND, Hit
from vru_governance.public.search.query import Query
from vru_governance.public.search.ranking import STILL_PUBLIC, RankedSearch, text_value

RANDOM_PAGE_COST = 1.1  # the planner's cost of a page read at random, for the ranking query


class StoredDocument(Expression):
    """The row's weighted search document, kept by PostgreSQL in a generated column."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


# The text each kind's snippet is taken from: a paper's sections, or its uploaded PDF's text.
_SNIPPET_TEXT: dict[str, tuple[type[Model], Combinable]] = {
    "item": (
        AgendaItem,
        Concat(F("title"), Value(". "), F("presenter"), output_field=TextField()),
    ),
    "paper": (
        Paper,
        Func(
            Value(" … "),
            *(NullIf(F(key), Value("")) for key in [*SECTION_KEYS, "file_text"]),
            function="CONCAT_WS",
            output_field=TextField(),
        ),
    ),
    "minutes": (MinuteParagraph, F("text")),
}


class PostgresSearch(RankedSearch):
    """Full-text search with ranks and headlines computed by PostgreSQL."""

    def __init__(self, query: Query) -> None:
        super().__init__(query)
        # The parsed query written out again: the same meaning as on SQLite (query.py).
        self.search_query = SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)

    def ranked(self, kind: str, qs: QuerySet) -> QuerySet:
        """The best matches of one kind as plain values, from the stored documents alone."""
        columns = self.columns(kind)
        # Ranked from the table alone, and only the best joined to their items and meetings
        # for their columns (the rank is computed again for those few, the same value).
        best = (
            qs.alias(document=StoredDocument())
            .filter(document=self.search_query)
            .alias(rank=SearchRank(StoredDocument(), self.search_query))
            .order_by("-rank", "pk")
            .values("pk")[:PER_KIND]
        )
        return (
            qs.model.objects.filter(pk__in=best)
            .annotate(
                rank=SearchRank(StoredDocument(), self.search_query),
                hit_kind=text_value(kind),
                **columns,
            )
            .order_by("-rank", "pk")
            .values_list("pk", "rank", "hit_kind", *columns)
        )

    def union(self, parts: list[QuerySet]) -> Iterable[tuple]:
        """The rankings in one query, planned for tables read from memory (see below)."""
        union = super().union(parts)
        if connection.in_atomic_block:
            return union  # SET LOCAL would last to the end of the caller's transaction
        sql, params = union.query.sql_with_params()
        # The search's tables and GIN indexes are read from memory, where a page read at random
        # costs about what one read in sequence does. With the default cost of 4, PostgreSQL
        # reads every minute paragraph's document in turn for a common word (12 ms on the bench
        # decade) instead of the rows the GIN index names (3 ms). Sent with the query as one
        # string, the setting lasts only for the implicit transaction of that string.
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}; {sql}", params)
            return cursor.fetchall()

    def headlines(self, hits: list[Hit]) -> dict[tuple[str, int], SafeString]:
        """The highlighted snippet of each hit, from one query."""
        parts = []
        for kind, (model, text) in _SNIPPET_TEXT.items():
            pks = [h.pk for h in hits if h.kind == kind]
            if not pks:
                continue
            headline = SearchHeadline(
                text,
                self.search_query,
                config=CONFIG,
                start_sel=self.start,
                stop_sel=self.stop,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
            parts.append(
                model.objects.filter(STILL_PUBLIC[kind], pk__in=pks)
                .annotate(hit_kind=text_value(kind), headline=headline)
                .values_list("hit_kind", "pk", "headline")
                .order_by()
            )
        if not parts:
            return {}
        rows = parts[0].union(*parts[1:], all=True)
        return {(kind, pk): self.snippet(headline) for kind, pk, headline in rows}
