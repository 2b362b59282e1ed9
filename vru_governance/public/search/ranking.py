"""What the two engines share: the columns each kind is ranked with (one UNION query), the
check that what was ranked is still public when its snippet is read, and the results of the
hits a page shows, rebuilt from the ranked columns (postgres.py and fts5.py rank and
highlight; this module does the rest the same way for both)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import F, Model, Q, QuerySet, TextField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from reports.models import Paper
from reports.published import AGENDA_PUBLIC_STATUSES, MINUTES_PUBLIC_STATUSES
from vru_governance.public.search.hits import (
    Hit,
    Urls,
    item_hit,
    item_title,
    markers,
    minutes_hit,
    minutes_title,
    paper_hit,
    plain,
)
from vru_governance.public.search.query import Query

M = TypeVar("M", bound=Model)


def text_value(value: str = "") -> Value:
    return Value(value, output_field=TextField())


# Each kind's columns for ranking, as paths from its row, in one order: the three rankings are
# one UNION query. Enough to sort the hits and, for the page shown, to rebuild the records.
COLUMNS = {
    "item": {
        "meeting": F("meeting"),
        "date": F("meeting__date"),
        "item": F("pk"),
        "number": F("number"),
        "item_title": F("title"),
        "paper_key": text_value(),
        "paper_title": text_value(),
        "classification": text_value(),
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
        "paper_key": text_value(),
        "paper_title": text_value(),
        "classification": text_value(),
    },
}
MODELS: dict[str, type[Model]] = {"item": AgendaItem, "paper": Paper, "minutes": MinuteParagraph}

# What makes each kind public, checked again as the snippets are read: a paper made exempt, or
# minutes withdrawn, since the ranking query gets no snippet and so is not shown.
STILL_PUBLIC: dict[str, Q] = {
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


class RankedSearch:
    """Ranks in one query and builds the shown hits' results in two: each engine says how
    a kind's rows are matched and ranked (`ranked`) and how snippets are made (`headlines`)."""

    def __init__(self, query: Query) -> None:
        self.query = query
        # The match markers of this search (hits.markers): what stored text cannot forge.
        self.start, self.stop = markers()

    def ranked(self, kind: str, qs: QuerySet) -> QuerySet:
        """The best matches of one kind: values (pk, rank, hit_kind, *hit_ columns)."""
        raise NotImplementedError

    def headlines(self, hits: list[Hit]) -> dict[tuple[str, int], SafeString]:
        """The highlighted snippet of each hit still public, from one query."""
        raise NotImplementedError

    def union(self, parts: list[QuerySet]) -> Iterable[tuple]:
        """The rows of the rankings, in one query."""
        return parts[0].union(*parts[1:], all=True)

    @staticmethod
    def columns(kind: str) -> dict[str, Any]:
        return {f"hit_{name}": value for name, value in COLUMNS[kind].items()}

    def snippet(self, headline: str) -> SafeString:
        """A headline with this search's markers, escaped, then marked."""
        text = escape(plain(headline))
        # The markers are the only markup, put in after the text was escaped; the engine puts
        # them in pairs, so the tags balance.
        marked = text.replace(self.start, "<mark>").replace(self.stop, "</mark>")
        return mark_safe(marked)  # nosec B703, B308

    def hits(self, items: QuerySet, papers: QuerySet, paragraphs: QuerySet) -> list[Hit]:
        """Every kind's best matches, ranked in one query."""
        if not self.query:
            return []
        rows = self.union(
            [
                self.ranked("item", items),
                self.ranked("paper", papers),
                self.ranked("minutes", paragraphs),
            ]
        )
        hits = []
        for pk, rank, kind, *values in rows:
            record = dict(zip(COLUMNS[kind], values, strict=True))
            if kind == "paper":
                title = record["paper_title"]
            elif kind == "item":
                title = item_title(record["number"], record["item_title"])
            else:
                title = minutes_title(record["number"], record["item_title"])
            hits.append(Hit(kind, pk, rank, record["date"], title, record["item"], None, record))
        return hits

    def build(self, hits: list[Hit]) -> None:
        """The hits' results: their meetings and snippets in two queries; their records rebuilt
        from the columns ranked, so that access judges them like any record it is given."""
        # By primary key into a dict: not sorted by the default ordering (body name, date).
        meetings = (
            Meeting.objects.select_related("body")
            .order_by()
            .in_bulk({h.record["meeting"] for h in hits if h.record})
        )
        headlines = self.headlines(hits)
        urls = Urls()
        for hit in hits:
            meeting = meetings.get(hit.record["meeting"]) if hit.record else None
            snippet = headlines.get((hit.kind, hit.pk))
            if meeting is None or snippet is None:
                continue  # deleted (or no longer public) since it was ranked
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
