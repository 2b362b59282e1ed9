"""The decisions register of a body: each decision recorded in published minutes, with the
recommendation as put, the outcome, the wording approved, reservations and dissent, linked to
its item, its public papers and the minutes. One query set serves the page, the Atom feed and
the API (vru_governance/public/api/decisions.py), in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString

from meetings import access
from meetings.models import AgendaItem, Dissent, Meeting, MinuteParagraph, paragraph_numbers
from members.models import Body
from reports.markdown import render_markdown
from reports.models import Paper
from reports.published import (
    MINUTES_PUBLIC_STATUSES,
    PUBLIC,
    body_or_404,
    document_url,
    meeting_url,
    paper_url,
    published_on,
)

DECISIONS_PER_PAGE = 50
FEED_DECISIONS = 50
OUTCOMES = dict(AgendaItem.Outcome.choices)


def published_decisions(body: Body) -> QuerySet[AgendaItem]:
    """The body's items that record a decision in published minutes, newest meeting first,
    with their meeting, reservations and dissent (and people) and papers prefetched."""
    return (
        AgendaItem.objects.filter(meeting__body=body, meeting__status__in=MINUTES_PUBLIC_STATUSES)
        .filter(~Q(outcome="") | ~Q(recommendation="") | ~Q(approved_wording=""))
        .select_related("meeting__body")
        .prefetch_related(
            Prefetch("dissents", queryset=Dissent.objects.select_related("person")),
            Prefetch("papers", queryset=Paper.objects.order_by("position", "pk")),
            # The meeting's paragraphs, to number the one that states a decision as minuted.
            Prefetch(
                "meeting__items",
                queryset=AgendaItem.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("paragraphs", queryset=MinuteParagraph.objects.order_by("position"))
                ),
                to_attr="minutes_items",
            ),
        )
        .order_by("-meeting__date", "-meeting__start_time", "meeting_id", "position", "pk")
    )


def decision_years(body: Body) -> list[int]:
    """The years with a published decision, latest first (one query)."""
    # Through the items: a negated condition across meeting__items would ask that no item of
    # the meeting has an empty field, i.e. that every item records a decision.
    dates = (
        AgendaItem.objects.filter(meeting__body=body, meeting__status__in=MINUTES_PUBLIC_STATUSES)
        .filter(~Q(outcome="") | ~Q(recommendation="") | ~Q(approved_wording=""))
        .dates("meeting__date", "year", order="DESC")
    )
    return [d.year for d in dates]


def filtered(
    decisions: QuerySet[AgendaItem], *, year: int | None, outcome: str | None
) -> QuerySet[AgendaItem]:
    if year is not None:
        decisions = decisions.filter(meeting__date__year=year)
    if outcome:
        decisions = decisions.filter(outcome=outcome)
    return decisions


@dataclass
class PaperLink:
    title: str
    url: str


@dataclass
class Decision:
    """A decision as the public reads it, with the links to its item, papers and minutes."""

    item: AgendaItem
    meeting: Meeting
    outcome: str
    recommendation: SafeString | str
    approved_wording: SafeString | str
    reservations: list[Dissent]
    dissents: list[Dissent]
    item_url: str
    minutes_url: str
    papers: list[PaperLink] = field(default_factory=list)
    # The paragraph that states the decision as minuted: its number ("3.1") and text.
    minuted_number: str = ""
    minuted: SafeString | str = ""

    @property
    def anchor(self) -> str:
        return f"decision-{self.meeting.key}-{self.item.number}"


def _minuted(item: AgendaItem) -> tuple[str, SafeString | str, str]:
    """The number, text and anchor of the paragraph stating the decision, if one does."""
    if not item.decision_paragraph:
        return "", "", ""
    items = item.meeting.minutes_items
    paragraphs = {i.pk: list(i.paragraphs.all()) for i in items}
    own = paragraphs.get(item.pk, [])
    if item.decision_paragraph > len(own):
        return "", "", ""
    paragraph = own[item.decision_paragraph - 1]
    number = paragraph_numbers(items, paragraphs)[paragraph.pk]
    html = render_markdown(paragraph.text, number=number)
    return number, html, f"para-{number.replace('.', '-')}"


def decision_of(item: AgendaItem) -> Decision:
    """One decision (no queries: the item was read through published_decisions)."""
    meeting = item.meeting
    number, minuted, anchor = _minuted(item)
    dissents = list(item.dissents.all())
    papers = []
    for paper in item.papers.all():
        paper.item = item  # the parent is loaded: access reads it without a query
        if not paper.is_exempt and access.can_see_paper(PUBLIC, paper):
            papers.append(PaperLink(paper.title, paper_url(meeting, paper)))
    return Decision(
        item=item,
        meeting=meeting,
        outcome=OUTCOMES.get(item.outcome, ""),
        recommendation=render_markdown(item.recommendation) if item.recommendation else "",
        approved_wording=render_markdown(item.approved_wording) if item.approved_wording else "",
        reservations=[d for d in dissents if d.kind == Dissent.Kind.RESERVATION],
        dissents=[d for d in dissents if d.kind != Dissent.Kind.RESERVATION],
        item_url=f"{meeting_url(meeting)}#item-{item.number}",
        minutes_url=f"{document_url(meeting, 'minutes/')}#{anchor or f'item-{item.number}'}",
        papers=papers,
        minuted_number=number,
        minuted=minuted,
    )


def visible(items: list[AgendaItem]) -> list[Decision]:
    """Decisions of minutes the public may read (access decides; the query narrowed first)."""
    return [decision_of(i) for i in items if access.can_see_minutes(PUBLIC, i.meeting)]


def _choice(request: HttpRequest, years: list[int]) -> tuple[int | None, str]:
    """The year and outcome asked for; anything else is no filter."""
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and int(raw) in years else None
    outcome = request.GET.get("outcome", "")
    return year, outcome if outcome in OUTCOMES else ""


def decisions_page(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The body's decisions register: filter by year and outcome, paginated."""
    body = body_or_404(body_slug)
    years = decision_years(body)
    year, outcome = _choice(request, years)
    page = Paginator(
        filtered(published_decisions(body), year=year, outcome=outcome), DECISIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "body": body,
        "years": years,
        "year": year,
        "outcome": outcome,
        "outcomes": AgendaItem.Outcome.choices,
        "page": page,
        "decisions": visible(list(page.object_list)),
    }
    return render(request, "public/decisions.html", context)


class DecisionsFeed(Feed):
    """The latest decisions of a body's published minutes (Atom)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, body_slug: str) -> Body:
        return body_or_404(body_slug)

    def title(self, obj: Body) -> str:
        return f"{obj.name}: decisions"

    def author_name(self, obj: Body) -> str:
        return obj.name

    def subtitle(self, obj: Body) -> str:
        return "Decisions recorded in the published minutes, newest first."

    def link(self, obj: Body) -> str:
        return reverse("public:decisions", args=[obj.slug])

    def feed_url(self, obj: Body) -> str:
        return reverse("public:decisions-atom", args=[obj.slug])

    def items(self, obj: Body) -> list[Decision]:
        return visible(list(published_decisions(obj)[:FEED_DECISIONS]))

    def item_title(self, item: Decision) -> str:
        what = item.outcome or "Recommendation"
        return f"{what}: {item.item.title} ({item.meeting.date:%-d %B %Y}, item {item.item.number})"

    def item_link(self, item: Decision) -> str:
        return f"{reverse('public:decisions', args=[item.meeting.body.slug])}#{item.anchor}"

    def item_description(self, item: Decision) -> str:
        # Atom carries the summary as type="html": the Markdown rendered and sanitised.
        parts = []
        if item.recommendation:
            parts.append(f"<p><strong>Recommendation as put:</strong></p>{item.recommendation}")
        if item.outcome:
            parts.append(f"<p><strong>Outcome:</strong> {item.outcome}.</p>")
        if item.minuted:
            parts.append(f"<p><strong>As minuted:</strong></p>{item.minuted}")
        if item.approved_wording:
            parts.append(f"<p><strong>Wording approved:</strong></p>{item.approved_wording}")
        return "".join(parts)

    def item_pubdate(self, item: Decision) -> dt.datetime:
        return published_on(item.meeting, minutes=True)

    def item_updateddate(self, item: Decision) -> dt.datetime:
        return published_on(item.meeting, minutes=True)
