"""Public pages about meetings: the list by year, a meeting's agenda and papers, search."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meetings import access
from meetings.models import AgendaItem, Meeting
from reports.documents.minutes import build_minutes
from reports.meeting_documents import meeting_documents, with_versions
from reports.meeting_facts import ItemRow, agenda_rows, meeting_facts
from reports.published import body_or_404, meetings_visible_to, only_visible
from vru_governance.public import search as search_backend

MEETINGS_PER_PAGE = 20
RESULTS_PER_PAGE = 20


def _year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for, else the latest year with meetings, else this year."""
    raw = request.GET.get("year", "")
    # isdigit() alone lets "²" through, which int() refuses.
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2999:
        return int(raw)
    return years[0] if years else timezone.localdate().year


def meeting_list(request: HttpRequest, body_slug: str) -> HttpResponse:
    """A body's meetings by year, paginated (a fixed number of queries)."""
    body = body_or_404(body_slug)
    meetings = meetings_visible_to(request.user, body)
    years = sorted({d.year for d in meetings.dates("date", "year")}, reverse=True)
    year = _year(request, years)
    page = Paginator(
        meetings.filter(date__year=year).order_by("date", "start_time", "pk"), MEETINGS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "body": body,
        "years": years,
        "year": year,
        "page": page,
        "meetings": only_visible(request.user, list(page.object_list)),
        "today": timezone.localdate(),
    }
    return render(request, "public/meetings.html", context)


def meeting_detail(request: HttpRequest, body_slug: str, key: str) -> HttpResponse:
    """Date, time, place, the agenda with its papers, and the documents the reader may open."""
    # The meeting before comes in the same query, so the page's count does not depend on
    # whether its agenda has a "Minutes of last meeting" item.
    meeting = access.meeting_with_previous(request.user, body_slug, key)
    # The published facts as the latest frozen agenda and minutes printed them.
    facts = meeting_facts(request.user, meeting)
    agenda = agenda_rows(request.user, meeting, facts)
    minutes_visible = access.can_see_minutes(request.user, meeting)
    # Per item, what the minutes record of it (paragraphs, declarations, the decision), and who
    # attended: read where the minutes are (a fixed number of queries), once the reader may.
    # Published minutes as frozen; drafts (for partners and secretaries) from the records.
    minutes = (facts.minutes or build_minutes(meeting)) if minutes_visible else None
    by_number = {item.number: item for item in minutes.items} if minutes else {}
    context = {
        "body": meeting.body,
        "meeting": meeting,
        "facts": facts,
        "agenda": agenda,
        # Each agenda row with what the minutes record of its item (None before they may).
        "sections": [(row, by_number.get(row.item.number)) for row in agenda],
        "documents": with_versions(meeting, meeting_documents(request.user, meeting, agenda)),
        "minutes_visible": minutes_visible,
        "minutes": minutes,
        "previous": _previous_minutes(request, meeting, agenda),
        "partner_view": access.can_see_body_records(request.user, meeting.body),
    }
    return render(request, "public/meeting.html", context)


def _previous_minutes(
    request: HttpRequest, meeting: Meeting, agenda: list[ItemRow]
) -> tuple[Meeting, bool] | None:
    """For a "Minutes of last meeting" item: the meeting before, and whether the reader may
    open its minutes (else its page is linked, where they will be)."""
    if not any(row.item.kind == AgendaItem.Kind.MINUTES_OF_LAST_MEETING for row in agenda):
        return None
    previous = meeting.previous()  # fetched with the meeting (access.meeting_with_previous)
    if previous is None or not access.can_see_agenda(request.user, previous):
        return None
    return previous, access.can_see_minutes(request.user, previous)


def search(request: HttpRequest) -> HttpResponse:
    """Published agendas, public papers and published minutes, ranked, with snippets."""
    # No NUL characters: PostgreSQL refuses them in a query's text.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    choices = search_backend.filters()
    bodies = choices.bodies
    body = next((b for b in bodies if b.slug == request.GET.get("body")), None)
    years = choices.years(body)
    raw_year = request.GET.get("year", "")
    year = (
        int(raw_year)
        if raw_year.isascii()
        and raw_year.isdigit()
        and len(raw_year) <= 4
        and int(raw_year) in years
        else None
    )
    # Every match is ranked and counted; only the page shown is loaded with its snippets.
    hits = search_backend.ranked(query, body=body, year=year) if query else []
    page = Paginator(hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "bodies": bodies,
        # The navigation shows the chosen board's pages (or the only board's).
        "body": body or (bodies[0] if len(bodies) == 1 else None),
        "selected_body": body,
        "years": years,
        "year": year,
        "page": page,
        "results": search_backend.results(query, page.object_list),
        "searched": bool(query),
        "notice": search_backend.notice(query),
        "total": len(hits),
    }
    return render(request, "public/search.html", context)
