"""Open data: published meetings as read-only JSON, described by /api/openapi.json.

A meeting is built from vru_governance.records.serialise's per-record functions, keeping only
what the public may see: the agenda and public papers once the agenda is published
(exempt papers only as "not for publication" with their exemption section), and the
attendance, minutes, outcomes, actions and quorum once the minutes are published.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import access
from meetings.models import AgendaItem, Meeting
from members.models import Person
from reports.models import Paper
from reports.published import (
    PUBLIC,
    body_or_404,
    meeting_url,
    paper_url,
    public_status,
    published_meetings,
)
from vru_governance.public.api.bodies import absolute, public_person
from vru_governance.public.api.problems import api_view, positive_int
from vru_governance.records import FORMAT, serialise

MEETINGS_PER_PAGE = 100
# Item fields shown with the agenda, and those that come from the minutes.
AGENDA_FIELDS = ("number", "title", "kind", "presenter")
MINUTES_FIELDS = (
    "recommendation",
    "outcome",
    "approved_wording",
    "decision_paragraph",
    "declarations",
    "dissent",
    "reservations",
    "minutes",
    "actions",
)


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    return json.loads(render_to_string("api/openapi.json"))


@api_view
def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of this API."""
    return JsonResponse(openapi_document())


@api_view
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "format": FORMAT,
            "description": "Published records of partnership boards, read-only.",
            "openapi": absolute(request, reverse("public:api-openapi")),
            "bodies": absolute(request, reverse("public:api-bodies")),
        }
    )


def _summary(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": meeting.key,
        "date": serialise.iso_date(meeting.date),
        "start": serialise.hh_mm(meeting.start_time),
    }
    if meeting.end_time:
        out["end"] = serialise.hh_mm(meeting.end_time)
    out["place"] = meeting.place
    out["status"] = public_status(meeting)
    out["minutes_published"] = access.can_see_minutes(PUBLIC, meeting)
    out["url"] = absolute(request, meeting_url(meeting))
    out["api_url"] = absolute(
        request, reverse("public:api-meeting", args=[meeting.body.slug, meeting.key])
    )
    return out


@api_view
def meetings(request: HttpRequest, body_slug: str) -> JsonResponse:
    """A body's meetings with a published agenda, oldest first; ?year= and ?page=."""
    body = body_or_404(body_slug)
    found = published_meetings().filter(body=body).order_by("date", "start_time", "pk")
    # A year the calendar has (1 to 9999), such as 2019; a page from 1 to the last.
    year = positive_int(request, "year", maximum=9999, help=", a year such as 2019")
    number = positive_int(request, "page") or 1
    if year is not None:
        found = found.filter(date__year=year)
    paginator = Paginator(found, MEETINGS_PER_PAGE)
    if number > paginator.num_pages:
        raise Http404(f"No page {number}: the last page is {paginator.num_pages}.")
    page = paginator.page(number)
    rows = [m for m in page.object_list if access.can_see_agenda(PUBLIC, m)]

    def page_url(number: int) -> str:
        query = f"?page={number}" + (f"&year={year}" if year else "")
        return absolute(request, reverse("public:api-meetings", args=[body.slug]) + query)

    return JsonResponse(
        {
            "format": FORMAT,
            "body": body.slug,
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "meetings": [_summary(request, m) for m in rows],
        }
    )


def _withheld(paper: Paper) -> dict[str, Any]:
    """An exempt paper as the public sees it: no title, key or content."""
    return {
        "classification": paper.classification,
        "not_for_publication": True,
        "exemption": {"section": paper.exemption_section},
    }


def _published_paper(request: HttpRequest, meeting: Meeting, paper: Paper) -> dict[str, Any]:
    out = serialise.paper_record(paper)
    out.pop("file", None)
    out["url"] = absolute(request, paper_url(meeting, paper))
    return out


def _item(
    request: HttpRequest, meeting: Meeting, item: AgendaItem, minutes: bool
) -> dict[str, Any]:
    full = serialise.item_record(item)
    out = {k: full[k] for k in AGENDA_FIELDS if k in full}
    papers = [
        _published_paper(request, meeting, p) if access.can_see_paper(PUBLIC, p) else _withheld(p)
        for p in item.papers.all()
    ]
    if papers:
        out["papers"] = papers
    if minutes:
        out.update({k: full[k] for k in MINUTES_FIELDS if k in full})
    return out


def _people(meeting: Meeting, minutes: bool) -> list[dict[str, Any]]:
    """Everyone the published record names, so that person keys can be read."""
    found: dict[str, Person] = {}
    if minutes:
        for row in meeting.attendance.all():
            found[row.person.key] = row.person
            if row.on_behalf_of_id:
                found[row.on_behalf_of.key] = row.on_behalf_of
        for item in meeting.items.all():
            for record in (*item.declarations.all(), *item.dissents.all()):
                found[record.person.key] = record.person
            for action in item.actions.all():
                for owner in action.owners.all():
                    if owner.person_id:
                        found[owner.person.key] = owner.person
    return [public_person(found[k]) for k in sorted(found)]


@api_view
def meeting(request: HttpRequest, body_slug: str, key: str) -> JsonResponse:
    """A meeting in the records format, filtered to what is published."""
    plain = access.meeting_for(PUBLIC, body_slug, key)
    found = serialise.with_records(Meeting.objects.filter(pk=plain.pk).select_related("body")).get()
    minutes = access.can_see_minutes(PUBLIC, found)
    out = _summary(request, found)
    if minutes:
        out["attendance"] = [serialise.attendance_record(a) for a in found.attendance.all()]
    out["items"] = [_item(request, found, i, minutes) for i in found.items.all()]
    if minutes:
        # Quorum reads the records afresh; the unprefetched meeting keeps that to a few queries.
        out["quorum"] = plain.quorum().as_export()
    composition = found.body.composition_on(found.date)
    if composition is not None:
        out["composition"] = composition.as_export()
    out["people"] = _people(found, minutes)
    return JsonResponse({"format": FORMAT, "body": found.body.slug, "meeting": out})
