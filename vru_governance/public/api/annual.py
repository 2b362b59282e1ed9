"""Open data: a body's annual report (issue 18, capability 6) as JSON, the figures of the public
page /<body>/annual/<year>/ from published records only, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from reports.annual import Bar
from vru_governance.public.annual import report_or_404
from vru_governance.public.api.bodies import absolute
from vru_governance.public.api.problems import api_view
from vru_governance.records import FORMAT, serialise

CHARTS = (
    "attendance_by_seat",
    "attendance_by_person",
    "composition",
    "actions",
    "decisions",
    "notice",
)


def bars_json(bars: list[Bar]) -> list[dict[str, Any]]:
    return [{"label": b.label, "value": b.value, "total": b.total} for b in bars]


@api_view
def annual(request: HttpRequest, body_slug: str, year: int) -> JsonResponse:
    """The year's attendance, composition, actions, decisions and notice, as chart data."""
    report = report_or_404(body_slug, year)
    slug = report.body.slug
    out: dict[str, Any] = {
        "format": FORMAT,
        "body": slug,
        "year": report.year,
        "url": absolute(request, reverse("public:annual", args=[slug, year])),
        "pdf_url": absolute(request, reverse("public:annual-pdf", args=[slug, year])),
        "meetings": [m.key for m in report.meetings],
        "attendance_meetings": [m.key for m in report.attendance_meetings],
        "minimum_community_percent": report.minimum_percent,
    }
    out.update({name: bars_json(getattr(report, name)) for name in CHARTS})
    out["late_agendas"] = [
        {
            "meeting": late.meeting.key,
            "date": serialise.iso_date(late.meeting.date),
            "clear_days": late.clear_days,
            "notice_days": late.notice_days,
        }
        for late in report.late_agendas
    ]
    return JsonResponse(out)
