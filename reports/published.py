"""What is published, as queries: the database side of the rules in meetings.access.

meetings.access decides per object; these querysets narrow a list to the same objects
first, so that lists, search, feeds and the API never load what they must not show. Each
caller still passes the rows through access before showing them. A meeting page's agenda is
reports/meeting_facts.py; its documents and their versions, reports/meeting_documents.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from meetings import access
from meetings.access import AnyUser
from meetings.models import Meeting
from members.models import Body
from reports.models import Paper, StoredDocument

# Feeds, search and the API answer as the public, whoever asks.
PUBLIC = AnonymousUser()

# Defined on Meeting, named here for the lists, search and feeds that query by them.
AGENDA_PUBLIC_STATUSES = Meeting.AGENDA_PUBLIC_STATUSES
MINUTES_PUBLIC_STATUSES = Meeting.MINUTES_PUBLIC_STATUSES


def body_or_404(slug: str) -> Body:
    """Bodies are public: any reader may look one up by its slug."""
    return get_object_or_404(Body, slug=slug)


def meetings_visible_to(user: AnyUser, body: Body) -> QuerySet[Meeting]:
    """The body's meetings whose agenda the user may see (access.can_see_agenda as a query)."""
    meetings = Meeting.objects.filter(body=body).select_related("body")
    if access.is_secretary(user, body):
        return meetings
    return meetings.filter(status__in=AGENDA_PUBLIC_STATUSES)


def published_meetings() -> QuerySet[Meeting]:
    """Meetings of every body whose agenda is public."""
    return Meeting.objects.filter(status__in=AGENDA_PUBLIC_STATUSES).select_related("body")


def only_visible(user: AnyUser, meetings: list[Meeting]) -> list[Meeting]:
    """Keep the meetings whose agenda access lets the user see."""
    return [m for m in meetings if access.can_see_agenda(user, m)]


def public_status(meeting: Meeting) -> str:
    """The meeting's status as the public may know it: the minutes' stages before their
    publication (in draft, circulated to partners, approved) are all "held"."""
    if meeting.status in Meeting.ORDER and not meeting.minutes_are_public:
        held = Meeting.ORDER.index(Meeting.Status.HELD)
        if meeting.stage() > held:
            return Meeting.Status.HELD
    return meeting.status


def meeting_url(meeting: Meeting) -> str:
    """The meeting's public page. Reversed once per meeting object: its documents and papers
    are addresses under it, and a page such as the partners' dashboard asks for dozens."""
    args = (meeting.body.slug, meeting.key)
    known = getattr(meeting, "_public_url", None)
    if known is None or known[0] != args:  # (a key or slug changed since: reverse again)
        known = (args, reverse("public:meeting", args=args))
        meeting._public_url = known
    return known[1]


def document_url(meeting: Meeting, name: str) -> str:
    """A document of the meeting, served by the reports app under the meeting's path."""
    return f"{meeting_url(meeting)}{name}"


def paper_url(meeting: Meeting, paper: Paper) -> str:
    return document_url(meeting, f"papers/{paper.key}.pdf")


def published_on(meeting: Meeting, *, minutes: bool = False) -> dt.datetime:
    """When the agenda (or minutes) went public; records imported without it use the date."""
    stamp = meeting.minutes_published_at if minutes else meeting.agenda_published_at
    if stamp is not None:
        return stamp
    return timezone.make_aware(dt.datetime.combine(meeting.date, meeting.start_time))


def paper_page_url(meeting: Meeting, key: str) -> str:
    """An authored paper's HTML page (its PDF is papers/<key>.pdf)."""
    return document_url(meeting, f"papers/{key}/")


@dataclass
class Publication:
    """A published document of a body: an agenda, a public paper or minutes."""

    kind: str
    title: str
    url: str
    when: dt.datetime
    meeting: Meeting
    summary: str = ""
    # A paper's public frozen copy, as stored: its link says "PDF, 290 KB, 42 pages".
    stored: StoredDocument | None = None


def publications(body: Body | None = None, *, meetings: int = 10) -> list[Publication]:
    """Published agendas, public papers and minutes of the latest meetings, newest first."""
    found = published_meetings().order_by("-date", "-start_time")
    if body is not None:
        found = found.filter(body=body)
    recent = only_visible(PUBLIC, list(found[:meetings]))
    papers = (
        Paper.objects.filter(item__meeting__in=recent, classification=Paper.Classification.PUBLIC)
        .select_related("item__meeting__body")
        .order_by("item__position", "position", "pk")
    )
    papers_of: dict[int, list[Paper]] = {}
    for paper in papers:
        if access.can_see_paper(PUBLIC, paper):
            papers_of.setdefault(paper.item.meeting_id, []).append(paper)
    copies = {
        copy.paper_id: copy
        for copy in StoredDocument.objects.filter(
            kind=StoredDocument.Kind.PAPER,
            audience=StoredDocument.Audience.PUBLIC,
            meeting__in=recent,
        )
        .order_by("paper_id", "version")
        .only("paper_id", "version", "size", "pages")
    }
    out: list[Publication] = []
    for meeting in recent:
        when = published_on(meeting)
        titles = [p.title for p in papers_of.get(meeting.pk, [])]
        out.append(
            Publication(
                "Agenda",
                f"Agenda: {meeting.body.name}, {meeting.date:%-d %B %Y}",
                meeting_url(meeting),
                when,
                meeting,
                "Papers: " + "; ".join(titles) if titles else "",
            )
        )
        for paper in papers_of.get(meeting.pk, []):
            out.append(
                Publication(
                    "Paper",
                    paper.title,
                    paper_url(meeting, paper),
                    when,
                    meeting,
                    f"A paper for the meeting of {meeting.date:%-d %B %Y}",
                    copies.get(paper.pk),
                )
            )
        if access.can_see_minutes(PUBLIC, meeting):
            out.append(
                Publication(
                    "Minutes",
                    f"Minutes: {meeting.body.name}, {meeting.date:%-d %B %Y}",
                    document_url(meeting, "minutes/"),
                    published_on(meeting, minutes=True),
                    meeting,
                )
            )
    out.sort(key=lambda p: p.when, reverse=True)
    return out


def inaccessible_papers() -> list[Paper]:
    """The published papers whose uploaded PDF failed the accessibility check at upload
    (reports/pdf_accessibility.py), for the accessibility statement: the regulations ask
    for the list of content that is not accessible."""
    papers = (
        Paper.objects.filter(
            item__meeting__status__in=AGENDA_PUBLIC_STATUSES,
            classification=Paper.Classification.PUBLIC,
        )
        .exclude(file="")
        .exclude(file_accessibility_failures=[])
        .select_related("item__meeting__body")
        .order_by("-item__meeting__date", "item__position", "position")
    )
    return [p for p in papers if access.can_see_paper(PUBLIC, p)]
