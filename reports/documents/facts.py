"""The facts the public meeting page shows, taken with the documents that print them.

When an agenda (or the minutes) is frozen, the meeting's date, time, place, items and papers
(or closing time, item outcomes and attendance) are stored beside the PDF as plain JSON
(StoredDocument.facts; the minutes' facts are made by reports/documents/minutes.py from the
object their PDF prints). The meeting page reads them from there, so what it shows of a
published meeting is what that version's PDF printed, whatever happens to the live records.
"""

from __future__ import annotations

from typing import Any

from meetings.models import Meeting
from reports.documents import records
from reports.models import Paper


def paper_facts(paper: Paper, *, partners: bool) -> dict[str, Any]:
    """A paper as the agenda lists it: the public's agenda names no exempt paper."""
    if paper.is_exempt and not partners:
        return {"exempt": True, "exemption_section": paper.exemption_section}
    return {
        "id": paper.pk,
        "key": paper.key,
        "title": paper.title,
        "author": paper.author,
        "supplement": paper.supplement,
        "exempt": paper.is_exempt,
        "exemption_section": paper.exemption_section,
        # Written in the browser by section (it has an HTML page), not an uploaded PDF.
        "authored": not paper.file,
    }


def agenda_facts(meeting: Meeting, *, partners: bool) -> dict[str, Any]:
    """What the meeting page shows of an agenda, for the public or for partners (2 queries)."""
    items = records.load_items(meeting, papers=True)
    return {
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.isoformat(),
        "place": meeting.place,
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "kind": item.kind,
                "presenter": item.presenter,
                "presenter_lead": getattr(item, "presenter_lead", ""),
                "papers": [paper_facts(p, partners=partners) for p in item.papers.all()],
            }
            for item in items
        ],
    }
