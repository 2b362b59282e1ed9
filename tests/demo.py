"""Load the demo records once per test class (Django TestCase.setUpTestData), and the records
that several test modules add to them."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from meetings.models import Meeting
from reports.models import Paper
from vru_governance.records.importer import import_records

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "docs" / "demo-records.json"


@lru_cache(maxsize=1)
def _document_text() -> str:
    return DEMO_FILE.read_text(encoding="utf-8")


def demo_document() -> dict:
    return json.loads(_document_text())


def load_demo() -> None:
    import_records(demo_document(), base_dir=DEMO_FILE.parent)


def add_exempt_paper(meeting: Meeting, *, title: str, secret: str) -> Paper:
    """A final exempt paper on item 6 of the demo's 1 May 2019 meeting, its summary holding
    `secret`: the partners' pack prints it, the public pack must leave every word of it out."""
    exempt = Paper(
        item=meeting.items.get(number="6"),
        key="data-sharing",
        title=title,
        presented_by="Paul Dawson, Head of Evidence and Insight, MOPAC",
        classification=Paper.Classification.EXEMPT,
        exemption_section="s.43",
        exemption_reason="Commercially sensitive terms still under negotiation.",
        exemption_review_on=dt.date(2020, 5, 1),
        executive_summary=f"1.1 {secret}: the draft terms of the agreement.",
        recommendations="2.1 Partners are asked to note the draft.",
        equality_comments="3.1 Considered in the drafting of the agreement.",
        final=True,
    )
    exempt.full_clean()
    exempt.save()
    return exempt
