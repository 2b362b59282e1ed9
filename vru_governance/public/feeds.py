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

from meetings import access
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
from vru_governance.rules.formats import clock_range, pdf_label, short_date

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
        description=(
            f"{short_date(meeting.date)}, {clock_range(meeting.start_time, meeting.end_time)}. "
            f"Agenda and papers: {url}"
        ),
        url=url,
        # RFC 5545: DTSTAMP is when this calendar was made; the publication is LAST-MODIFIED.
        stamp=stamp,
        last_modified=published_on(meeting).astimezone(dt.UTC),
    )


def _calendar(
    request: HttpRequest, name: str, uid: str, url: str, meetings: list[Meeting], filename: str
) -> HttpResponse:
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar.new(
        name=name,
        prodid="-//VRU Governance//Meetings//EN",
        uid=f"{uid}@{request.get_host().split(':')[0]}",
        url=request.build_absolute_uri(url),
        subcomponents=[_event(request, m, stamp) for m in meetings],
    )
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def ical(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The body's meetings whose agenda is published, as text/calendar."""
    body = body_or_404(body_slug)
    meetings = only_visible(
        PUBLIC,
        list(published_meetings().filter(body=body).order_by("-date")[:CALENDAR_MEETINGS]),
    )
    return _calendar(
        request,
        f"Meetings of the {body.name}",
        f"{body.slug}-meetings",
        reverse("public:meetings", args=[body.slug]),
        list(reversed(meetings)),
        f"{body.slug}-meetings.ics",
    )


def meeting_ical(request: HttpRequest, body_slug: str, key: str) -> HttpResponse:
    """One meeting as an iCalendar file ("add to calendar"): the public's view, whoever asks
    (a calendar does not sign in), so a meeting without a published agenda is a 404."""
    meeting = access.meeting_for(PUBLIC, body_slug, key)
    return _calendar(
        request,
        f"{meeting.body.name}, {short_date(meeting.date)}",
        f"{meeting.body.slug}-{meeting.key}-meeting",
        meeting_url(meeting),
        [meeting],
        f"{meeting.body.slug}-{meeting.key}.ics",
    )


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
        meeting = item.meeting
        when = clock_range(meeting.start_time, meeting.end_time)
        where = f"Meeting of {short_date(meeting.date)}, {when}"
        if meeting.place:
            where += f", {meeting.place}"
        label = f" ({pdf_label(item.stored.size, item.stored.pages)})" if item.stored else ""
        return escape(f"{where}. {item.summary}{label}".strip())

    def item_pubdate(self, item: Publication) -> dt.datetime:
        return item.when

    def item_updateddate(self, item: Publication) -> dt.datetime:
        return item.when
