"""Open data: a body's decisions register as JSON (?year=, ?outcome=, ?page=), each decision in
the records format (vru_governance/records/serialise.decision_record) with links to its item,
public papers and minutes. Only decisions of published minutes; a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse

from members.models import Person
from reports.published import body_or_404
from vru_governance.public import decisions as register
from vru_governance.public.api.bodies import absolute, public_person
from vru_governance.public.api.problems import BadParameter, api_view, positive_int
from vru_governance.records import FORMAT, serialise

DECISIONS_PER_PAGE = 100


def decision_json(request: HttpRequest, decision: register.Decision) -> dict[str, Any]:
    item, meeting = decision.item, decision.meeting
    out: dict[str, Any] = {
        "meeting": meeting.key,
        "date": serialise.iso_date(meeting.date),
        "item": item.number,
        "title": item.title,
    }
    out.update(serialise.decision_record(item))
    if item.outcome:
        out["outcome_label"] = decision.outcome
    if decision.minuted_number:
        out["minuted_in"] = decision.minuted_number
    if decision.papers:
        out["papers"] = [
            {"title": p.title, "url": absolute(request, p.url)} for p in decision.papers
        ]
    out["url"] = absolute(
        request, f"{reverse('public:decisions', args=[meeting.body.slug])}#{decision.anchor}"
    )
    out["item_url"] = absolute(request, decision.item_url)
    out["minutes_url"] = absolute(request, decision.minutes_url)
    out["meeting_api_url"] = absolute(
        request, reverse("public:api-meeting", args=[meeting.body.slug, meeting.key])
    )
    return out


@api_view
def decisions(request: HttpRequest, body_slug: str) -> JsonResponse:
    """A body's decisions in published minutes, newest first; ?year=, ?outcome=, ?page=."""
    body = body_or_404(body_slug)
    year = positive_int(request, "year", maximum=9999, help=", a year such as 2019")
    outcome = request.GET.get("outcome")
    if outcome is not None and outcome not in register.OUTCOMES:
        raise BadParameter(f"outcome must be one of {', '.join(register.OUTCOMES)}.")
    number = positive_int(request, "page") or 1
    found = register.filtered(register.published_decisions(body), year=year, outcome=outcome)
    paginator = Paginator(found, DECISIONS_PER_PAGE)
    if number > paginator.num_pages:
        raise Http404(f"No page {number}: there are {paginator.num_pages}.")
    page = paginator.page(number)
    rows = register.visible(list(page.object_list))

    def page_url(n: int) -> str:
        query = f"?page={n}" + (f"&year={year}" if year else "")
        query += f"&outcome={outcome}" if outcome else ""
        return absolute(request, reverse("public:api-decisions", args=[body.slug]) + query)

    people: dict[str, Person] = {}
    for decision in rows:
        for record in (*decision.reservations, *decision.dissents):
            people[record.person.key] = record.person
    return JsonResponse(
        {
            "format": FORMAT,
            "body": body.slug,
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "decisions": [decision_json(request, d) for d in rows],
            "people": [public_person(people[k]) for k in sorted(people)],
        }
    )
