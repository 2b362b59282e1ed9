"""An iCalendar feed of a body's meetings and an Atom feed of its published documents.

Calendar and feed readers do not sign in, so both feeds show what the public may see,
whoever asks.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from icalendar import Calendar, Event

from meetings.models import Meeting
from members.models import Body
from reports.published import (
    PUBLIC,
    Publication,
    body_or_404,
    meeting_url,
    only_visible,
    publications,
    published_meetings,
    published_on,
)

DEFAULT_LENGTH = dt.timedelta(hours=2)
CALENDAR_MEETINGS = 200  # the latest meetings a calendar carries
FEED_MEETINGS = 20  # the latest meetings whose documents the Atom feed carries


def _event(request: HttpRequest, meeting: Meeting, stamp: dt.datetime) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    end = (
        dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)
        if meeting.end_time
        else start + DEFAULT_LENGTH
    )
    url = request.build_absolute_uri(meeting_url(meeting))
    return Event.new(
        uid=f"{meeting.body.slug}-{meeting.key}@{request.get_host().split(':')[0]}",
        summary=f"{meeting.body.name}",
        start=start,
        end=end,
        location=meeting.place or None,
        description=f"Agenda and papers: {url}",
        url=url,
        # RFC 5545: DTSTAMP is when this calendar was made; the publication is LAST-MODIFIED.
        stamp=stamp,
        last_modified=published_on(meeting).astimezone(dt.UTC),
    )


def ical(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The body's meetings whose agenda is published, as text/calendar."""
    body = body_or_404(body_slug)
    meetings = only_visible(
        PUBLIC,
        list(published_meetings().filter(body=body).order_by("-date")[:CALENDAR_MEETINGS]),
    )
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar.new(
        name=f"Meetings of the {body.name}",
        prodid="-//VRU Governance//Meetings//EN",
        uid=f"{body.slug}-meetings@{request.get_host().split(':')[0]}",
        url=request.build_absolute_uri(reverse("public:meetings", args=[body.slug])),
        subcomponents=[_event(request, m, stamp) for m in reversed(meetings)],
    )
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body.slug}-meetings.ics"'
    return response


class DocumentsFeed(Feed):
    """Published agendas, public papers and published minutes, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, body_slug: str) -> Body:
        return body_or_404(body_slug)

    def title(self, obj: Body) -> str:
        return f"{obj.name}: published documents"

    def author_name(self, obj: Body) -> str:
        # RFC 4287 4.1.1: a feed whose entries carry no author must name one itself.
        return obj.name

    def subtitle(self, obj: Body) -> str:
        return "Agendas, public papers and minutes as they are published."

    def link(self, obj: Body) -> str:
        return reverse("public:body", args=[obj.slug])

    def feed_url(self, obj: Body) -> str:
        return reverse("public:atom", args=[obj.slug])

    def items(self, obj: Body) -> list[Publication]:
        return publications(obj, meetings=FEED_MEETINGS)

    def item_title(self, item: Publication) -> str:
        return f"{item.kind}: {item.title}" if item.kind == "Paper" else item.title

    def item_link(self, item: Publication) -> str:
        return item.url

    def item_description(self, item: Publication) -> str:
        # Atom carries the summary as type="html": typed text (place, paper titles) is escaped.
        where = f"Meeting of {item.meeting.date:%-d %B %Y}"
        if item.meeting.place:
            where += f", {item.meeting.place}"
        return escape(f"{where}. {item.summary}".strip())

    def item_pubdate(self, item: Publication) -> dt.datetime:
        return item.when

    def item_updateddate(self, item: Publication) -> dt.datetime:
        return item.when
