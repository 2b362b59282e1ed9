"""PostgreSQL full-text search: ranks from the documents each row keeps in a generated column
(meetings/migrations/0005, reports/migrations/0004), snippets only for the hits shown."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Func, Model, Q, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, NullIf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from meetings.published import AGENDA_PUBLIC_STATUSES, MINUTES_PUBLIC_STATUSES
from reports.models import SECTION_KEYS, Paper
from vru_governance.public.search.hits import (
    CONFIG,
    PER_KIND,
    START,
    STOP,
    Hit,
    Urls,
    item_hit,
    item_title,
    minutes_hit,
    minutes_title,
    paper_hit,
    plain,
)

M = TypeVar("M", bound=Model)


class StoredDocument(Expression):
    """The row's weighted search document, kept by PostgreSQL in a generated column."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def _text(value: str = "") -> Value:
    return Value(value, output_field=TextField())


# Each kind's columns for ranking, as paths from its row, in one order: the three rankings are
# one UNION query. Enough to sort the hits and, for the page shown, to rebuild the records.
_COLUMNS = {
    "item": {
        "meeting": F("meeting"),
        "date": F("meeting__date"),
        "item": F("pk"),
        "number": F("number"),
        "item_title": F("title"),
        "paper_key": _text(),
        "paper_title": _text(),
        "classification": _text(),
    },
    "paper": {
        "meeting": F("item__meeting"),
        "date": F("item__meeting__date"),
        "item": F("item"),
        "number": F("item__number"),
        "item_title": F("item__title"),
        "paper_key": F("key"),
        "paper_title": F("title"),
        "classification": F("classification"),
    },
    "minutes": {
        "meeting": F("item__meeting"),
        "date": F("item__meeting__date"),
        "item": F("item"),
        "number": F("item__number"),
        "item_title": F("item__title"),
        "paper_key": _text(),
        "paper_title": _text(),
        "classification": _text(),
    },
}
# The text each kind's snippet is taken from.
_SNIPPET_TEXT: dict[str, tuple[type[Model], Combinable]] = {
    "item": (
        AgendaItem,
        Concat(F("title"), Value(". "), F("presenter"), output_field=TextField()),
    ),
    "paper": (
        Paper,
        Func(
            Value(" … "),
            *(NullIf(F(key), Value("")) for key in SECTION_KEYS),
            function="CONCAT_WS",
            output_field=TextField(),
        ),
    ),
    "minutes": (MinuteParagraph, F("text")),
}


# What makes each kind public, checked again as the snippets are read: a paper made exempt, or
# minutes withdrawn, since the ranking query gets no snippet and so is not shown.
_STILL_PUBLIC: dict[str, Q] = {
    "item": Q(meeting__status__in=AGENDA_PUBLIC_STATUSES),
    "paper": Q(
        classification=Paper.Classification.PUBLIC,
        item__meeting__status__in=AGENDA_PUBLIC_STATUSES,
    ),
    "minutes": Q(item__meeting__status__in=MINUTES_PUBLIC_STATUSES),
}


def _loaded(model: type[M], **values: Any) -> M:
    """A record from columns already read, the others deferred (as .only() would load it)."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, fields, [values[name] for name in fields])


class PostgresSearch:
    """Full-text search with ranks and headlines computed by PostgreSQL."""

    def __init__(self, query: str) -> None:
        self.query = SearchQuery(query, search_type="websearch", config=CONFIG)

    def _ranked(self, kind: str, qs: QuerySet) -> QuerySet:
        """The best matches of one kind as plain values, from the stored documents alone."""
        columns = {f"hit_{name}": value for name, value in _COLUMNS[kind].items()}
        return (
            qs.alias(document=StoredDocument())
            .filter(document=self.query)
            .annotate(
                rank=SearchRank(StoredDocument(), self.query),
                hit_kind=_text(kind),
                **columns,
            )
            .order_by("-rank", "pk")
            .values_list("pk", "rank", "hit_kind", *columns)[:PER_KIND]
        )

    def hits(self, items: QuerySet, papers: QuerySet, paragraphs: QuerySet) -> list[Hit]:
        """Every kind's best matches, ranked in one query."""
        rows = self._ranked("item", items).union(
            self._ranked("paper", papers), self._ranked("minutes", paragraphs), all=True
        )
        hits = []
        for pk, rank, kind, *values in rows:
            record = dict(zip(_COLUMNS[kind], values, strict=True))
            if kind == "paper":
                title = record["paper_title"]
            elif kind == "item":
                title = item_title(record["number"], record["item_title"])
            else:
                title = minutes_title(record["number"], record["item_title"])
            hits.append(Hit(kind, pk, rank, record["date"], title, record["item"], None, record))
        return hits

    @staticmethod
    def _snippet(headline: str) -> SafeString:
        text = escape(plain(headline))
        # The markers are the only markup, put in after the text was escaped.
        return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # nosec B703, B308

    def _headlines(self, hits: list[Hit]) -> dict[tuple[str, int], SafeString]:
        """The highlighted snippet of each hit, from one query."""
        parts = []
        for kind, (model, text) in _SNIPPET_TEXT.items():
            pks = [h.pk for h in hits if h.kind == kind]
            if not pks:
                continue
            headline = SearchHeadline(
                text,
                self.query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
            parts.append(
                model.objects.filter(_STILL_PUBLIC[kind], pk__in=pks)
                .annotate(hit_kind=_text(kind), headline=headline)
                .values_list("hit_kind", "pk", "headline")
                .order_by()
            )
        rows = parts[0].union(*parts[1:], all=True)
        return {(kind, pk): self._snippet(headline) for kind, pk, headline in rows}

    def build(self, hits: list[Hit]) -> None:
        """The hits' results: their meetings and snippets in two queries; their records rebuilt
        from the columns ranked, so that access judges them like any record it is given."""
        meetings = Meeting.objects.select_related("body").in_bulk(
            {h.record["meeting"] for h in hits if h.record}
        )
        headlines = self._headlines(hits)
        urls = Urls()
        for hit in hits:
            meeting = meetings.get(hit.record["meeting"]) if hit.record else None
            snippet = headlines.get((hit.kind, hit.pk))
            if meeting is None or snippet is None:
                continue  # deleted since it was ranked
            item = _loaded(
                AgendaItem,
                id=hit.item_id,
                meeting_id=meeting.pk,
                number=hit.record["number"],
                title=hit.record["item_title"],
            )
            item.meeting = meeting
            if hit.kind == "item":
                built = item_hit(item, snippet, hit.rank, urls)
            elif hit.kind == "paper":
                paper = _loaded(
                    Paper,
                    id=hit.pk,
                    item_id=item.pk,
                    key=hit.record["paper_key"],
                    title=hit.record["paper_title"],
                    classification=hit.record["classification"],
                )
                paper.item = item
                built = paper_hit(paper, snippet, hit.rank, urls)
            else:
                paragraph = _loaded(MinuteParagraph, id=hit.pk, item_id=item.pk)
                paragraph.item = item
                built = minutes_hit(paragraph, snippet, hit.rank, urls)
            hit.result = built.result if built else None
