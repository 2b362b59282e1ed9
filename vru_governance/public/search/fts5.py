"""SQLite full-text search: the FTS5 index beside each searched table (reports/search_index.py),
ranked by bm25 with PostgreSQL's weights, snippets only for the hits shown.

The FTS5 table is joined to the searched table by rowid with `extra()`: the ORM has no join
to a virtual table, and the join (unlike a subquery per row) lets bm25 read the index's
statistics once per query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from reports.search_index import INDEXES
from vru_governance.public.search.hits import PER_KIND, Hit
from vru_governance.public.search.query import Query
from vru_governance.public.search.ranking import (
    COLUMNS,
    MODELS,
    STILL_PUBLIC,
    RankedSearch,
    text_value,
)

SNIPPET_TOKENS = 32  # about PostgreSQL's 35 words (FTS5 allows at most 64)


class Fts5Search(RankedSearch):
    """Full-text search with ranks (bm25) and snippets computed by SQLite's FTS5."""

    def __init__(self, query: Query) -> None:
        super().__init__(query)
        self.match = query.fts5()

    def _matching(self, kind: str, qs: QuerySet, **select: str) -> QuerySet:
        """The rows of qs whose index entry matches, with `select` expressions of the index."""
        index = INDEXES[kind]
        # Reviewed: the table and column names are constants; the MATCH text is a bound parameter.
        return qs.extra(  # nosec B610
            tables=[index.name],
            where=[f"{index.name}.rowid = {qs.model._meta.db_table}.id", f"{index.name} MATCH %s"],
            params=[self.match],
            select=select,
        )

    def ranked(self, kind: str, qs: QuerySet) -> QuerySet:
        """The best matches of one kind as plain values, from the index alone."""
        index = INDEXES[kind]
        columns = self.columns(kind)
        # bm25 is lower for a better match; the hits sort higher first, as on PostgreSQL.
        return (
            self._matching(kind, qs, hit_rank=f"-bm25({index.name}, {index.weights})")
            .annotate(hit_kind=text_value(kind), **columns)
            .order_by("-hit_rank", "pk")
            .values_list("pk", "hit_rank", "hit_kind", *columns)[:PER_KIND]
        )

    def union(self, parts: list[QuerySet]) -> Iterable[tuple]:
        """The rankings in one UNION ALL, written out: Django refuses a LIMIT in a part of a
        compound query on SQLite, which SQLite allows in a subquery."""
        # The columns by the names ranked() gives them, in the order hits() reads them.
        names = ["pk", "hit_rank", "hit_kind", *(f"hit_{name}" for name in COLUMNS["item"])]
        selected = ", ".join(connection.ops.quote_name(name) for name in names)
        statements, params = [], []
        for part in parts:
            sql, part_params = part.query.sql_with_params()
            # Reviewed: the selected names are constants, quoted; the parts' params are bound.
            statements.append(f"SELECT {selected} FROM ({sql})")  # nosec B608
            params.extend(part_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(statements), params)
            rows = cursor.fetchall()
        at = list(COLUMNS["item"]).index("date") + 3
        # SQLite converts a date column by its declared type, which a compound query may lose.
        return [(*row[:at], _date(row[at]), *row[at + 1 :]) for row in rows]

    def headlines(self, hits: list[Hit]) -> dict[tuple[str, int], SafeString]:
        """The highlighted snippet of each hit still public, from one query."""
        parts = []
        for kind, model in MODELS.items():
            pks = [h.pk for h in hits if h.kind == kind]
            if not pks:
                continue
            name = INDEXES[kind].name
            # The markers (letters and digits) and the delimiter are ours, not typed text.
            start, stop = self.start, self.stop
            snippet = f"snippet({name}, -1, '{start}', '{stop}', ' … ', {SNIPPET_TOKENS})"
            parts.append(
                self._matching(
                    kind, model.objects.filter(STILL_PUBLIC[kind], pk__in=pks), headline=snippet
                )
                .annotate(hit_kind=text_value(kind))
                .values_list("hit_kind", "pk", "headline")
                .order_by()
            )
        if not parts:
            return {}
        rows = parts[0].union(*parts[1:], all=True)
        return {(kind, pk): self.snippet(headline) for kind, pk, headline in rows}


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
