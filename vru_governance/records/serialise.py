"""One record at a time in the records format (docs/records-format.md): the per-record
functions shared by the exporter (vru_governance/records/exporter.py) and the open-data API
(vru_governance/public/api/), and the one prefetch tree they both read a meeting through.

Each function reads only what `with_records` prefetched, so a page of the API or an export
of a body costs a fixed number of queries whatever the number of items.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from actions.models import Action
from meetings.models import AgendaItem, Attendance, Dissent, Meeting
from members.models import Appointment, Body, DeclarationRound, Person, TermsOfReference
from reports.models import SECTION_KEYS, Paper


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def hh_mm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def with_records(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings with everything the records format shows of them, each read once: items
    in order with their minutes, declarations, dissent, papers and actions (owners, updates),
    and the attendance with the people and items it names."""
    items = AgendaItem.objects.order_by("position", "pk").prefetch_related(
        "paragraphs",
        "declarations__person",
        "dissents__person",
        Prefetch("papers", queryset=Paper.objects.order_by("position", "pk")),
        Prefetch(
            "actions",
            queryset=Action.objects.order_by("position", "pk").prefetch_related(
                "owners__person", "updates"
            ),
        ),
    )
    return meetings.select_related(
        "minutes_approved_at_meeting", "contact_officer"
    ).prefetch_related(
        Prefetch("items", queryset=items),
        "attendance__person",
        "attendance__on_behalf_of",
        "attendance__from_item",
        "attendance__to_item",
    )


def terms_record(terms: TermsOfReference) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": terms.version,
        "title": terms.title,
        "status": terms.status,
        "effective_from": iso_date(terms.effective_from),
        "text": terms.text,
        "community_min_share": f"{terms.community_min_share:.2f}",
        "quorum": {
            "fraction": terms.quorum_fraction,
            "substitutes_count": terms.substitutes_count,
            "remote_counts": terms.remote_counts,
            "required": [
                {
                    "label": g.label,
                    "any_of": list(g.any_of),
                    **({"representative_allowed": True} if g.representative_allowed else {}),
                }
                for g in sorted(terms.quorum_groups.all(), key=lambda g: (g.position, g.pk))
            ],
        },
    }
    if terms.meeting_interval_min_days is not None or terms.meeting_interval_max_days is not None:
        out["meeting_interval_days"] = [
            terms.meeting_interval_min_days,
            terms.meeting_interval_max_days,
        ]
    out["agenda_notice_days"] = terms.agenda_notice_days
    out["seats"] = [
        {
            "key": s.key,
            "label": s.label,
            "sector": s.sector,
            "count": "share" if s.count is None else s.count,
        }
        for s in terms.seat_list()
    ]
    return out


def person_record(person: Person) -> dict[str, Any]:
    out = {"key": person.key, "name": person.name}
    for name in ("honorific", "role", "organisation", "email"):
        if getattr(person, name):
            out[name] = getattr(person, name)
    return out


def iso_moment(value: dt.datetime | None) -> str | None:
    """A moment as local time with its offset, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def declaration_round_record(round: DeclarationRound) -> dict[str, Any]:
    """A declaration round with every confirmation (confirmations__person prefetched). The
    records are the secretary's: the confirmation's note to the secretary is in them; the
    open-data API (vru_governance/public/api/declarations.py) never shows it."""
    out: dict[str, Any] = {
        "due_on": iso_date(round.due_on),
        "started_at": iso_moment(round.started_at),
    }
    if round.asked_at:
        out["asked_at"] = iso_moment(round.asked_at)
    if round.reminded_on:
        out["reminded_on"] = iso_date(round.reminded_on)
    confirmations = []
    for c in round.confirmations.all():
        row: dict[str, Any] = {"person": c.person.key, "confirmed_at": iso_moment(c.confirmed_at)}
        if c.updated:
            row["updated"] = True
        if c.note:
            row["note"] = c.note
        confirmations.append(row)
    out["confirmations"] = confirmations
    return out


def membership_record(appt: Appointment) -> dict[str, Any]:
    out = {
        "person": appt.person.key,
        "seat": appt.seat_key,
        "start": iso_date(appt.start),
        "end": iso_date(appt.end),
    }
    if appt.exception:
        out["exception"] = appt.exception
    for name in ("honorific", "role"):
        if getattr(appt, name):
            out[name] = getattr(appt, name)
    return out


def meeting_record(meeting: Meeting, files_dir: Path | None = None) -> dict[str, Any]:
    """A meeting with its computed quorum and composition blocks (read through with_records)."""
    out: dict[str, Any] = {
        "key": meeting.key,
        "date": iso_date(meeting.date),
        "start": hh_mm(meeting.start_time),
    }
    if meeting.end_time:
        out["end"] = hh_mm(meeting.end_time)
    out["place"] = meeting.place
    out["status"] = meeting.status
    if meeting.contact_officer_id:
        out["contact_officer"] = meeting.contact_officer.key
    out.update(agenda_wording_record(meeting))
    out.update(history_record(meeting))
    out["attendance"] = [attendance_record(a) for a in meeting.attendance.all()]
    out["items"] = [item_record(i, files_dir) for i in meeting.items.all()]
    quorum = meeting.quorum()
    out["quorum"] = quorum.as_export()
    composition = meeting.body.composition_on(meeting.date)
    if composition is not None:
        out["composition"] = composition.as_export()
    return out


def standard_agenda_record(body: Body) -> list[dict[str, Any]]:
    """The body's own standard agenda (empty while it uses the product's)."""
    out = []
    for item in body.standard_items.order_by("position", "pk"):
        row: dict[str, Any] = {"title": item.title, "kind": item.kind}
        if item.presenter:
            row["presenter"] = item.presenter
        if item.presenter_lead:
            row["presenter_lead"] = item.presenter_lead
        out.append(row)
    return out


def agenda_wording_record(meeting: Meeting) -> dict[str, Any]:
    """The agenda's 'In attendance' list and what it prints under 'Date of next meeting'
    (written only where they differ from the defaults: none, and the records' next meeting)."""
    out: dict[str, Any] = {}
    if meeting.in_attendance_lines():
        out["agenda_in_attendance"] = meeting.in_attendance_lines()
    if meeting.next_meeting == Meeting.NextMeeting.OWN:
        out["next_meeting"] = "own"
        out["next_meeting_text"] = meeting.next_meeting_text
    elif meeting.next_meeting == Meeting.NextMeeting.NONE:
        out["next_meeting"] = "none"
    return out


# The lifecycle dates written for a meeting (as the day they happened, local time).
LIFECYCLE_DATES = (
    ("agenda_published_on", "agenda_published_at"),
    ("minutes_circulated_on", "minutes_circulated_at"),
    ("minutes_approved_on", "minutes_approved_at"),
    ("minutes_published_on", "minutes_published_at"),
)


def history_record(meeting: Meeting) -> dict[str, Any]:
    """The days the meeting's agenda was published and its minutes circulated, approved (and
    by whom: a later meeting's key, or "chair") and published, as far as it has gone."""
    out: dict[str, Any] = {}
    if any(getattr(meeting, name) is not None for _, name in LIFECYCLE_DATES):
        # Written so that a restore keeps a live meeting live: without it, the dates alone
        # would mark the meeting as history and hold them to the history rules.
        out["recorded_as_history"] = meeting.recorded_as_history
    for key, name in LIFECYCLE_DATES:
        moment = getattr(meeting, name)
        if moment is not None:
            out[key] = iso_date(timezone.localtime(moment).date())
    if meeting.minutes_approved_by_chair:
        out["minutes_approved_at"] = "chair"
    elif meeting.minutes_approved_at_meeting_id:
        out["minutes_approved_at"] = meeting.minutes_approved_at_meeting.key
    return out


def attendance_record(row: Attendance) -> dict[str, Any]:
    out: dict[str, Any] = {"person": row.person.key, "capacity": row.capacity}
    if row.on_behalf_of_id:
        out["on_behalf_of"] = row.on_behalf_of.key
    if row.remote:
        out["remote"] = True
    if row.from_item_id:
        out["from_item"] = row.from_item.number
    if row.to_item_id:
        out["to_item"] = row.to_item.number
    return out


def item_record(item: AgendaItem, files_dir: Path | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"number": item.number, "title": item.title, "kind": item.kind}
    if item.presenter:
        out["presenter"] = item.presenter
    if item.presenter_lead:
        out["presenter_lead"] = item.presenter_lead
    if item.minutes_allowed:
        out["minutes_allowed"] = item.minutes_allowed
    out.update(decision_record(item))
    declarations = list(item.declarations.all())
    if declarations:
        out["declarations"] = [
            {"person": d.person.key, "interest": d.interest, "withdrew": d.withdrew}
            for d in declarations
        ]
    papers = list(item.papers.all())
    if papers:
        out["papers"] = [paper_record(p, files_dir) for p in papers]
    paragraphs = list(item.paragraphs.all())
    if paragraphs:
        out["minutes"] = [p.text for p in paragraphs]
    actions = list(item.actions.all())
    if actions:
        # An action's paragraph by its place among the item's paragraphs (1-based).
        places = {p.pk: n for n, p in enumerate(paragraphs, start=1)}
        out["actions"] = [action_record(a, places) for a in actions]
    return out


def decision_record(item: AgendaItem) -> dict[str, Any]:
    """An item's decision as the records format writes it: the recommendation as put, the
    outcome, the wording approved, and the dissent and reservations with their reasons
    (only the fields recorded; dissents read as prefetched)."""
    out: dict[str, Any] = {}
    if item.recommendation:
        out["recommendation"] = item.recommendation
    if item.outcome:
        out["outcome"] = item.outcome
    if item.approved_wording:
        out["approved_wording"] = item.approved_wording
    if item.decision_paragraph:
        out["decision_paragraph"] = item.decision_paragraph
    for key, kind in (
        ("dissent", Dissent.Kind.DISSENT),
        ("reservations", Dissent.Kind.RESERVATION),
    ):
        rows = [
            {"person": d.person.key, "text": d.text} for d in item.dissents.all() if d.kind == kind
        ]
        if rows:
            out[key] = rows
    return out


def paper_record(paper: Paper, files_dir: Path | None = None) -> dict[str, Any]:
    """A paper; its uploaded PDF is copied into files_dir when one is given."""
    out: dict[str, Any] = {"key": paper.key, "title": paper.title}
    for name in ("author", "presented_by", "cleared_by"):
        if getattr(paper, name):
            out[name] = getattr(paper, name)
    out["classification"] = paper.classification
    if paper.is_exempt:
        out["exemption"] = {
            "section": paper.exemption_section,
            "reason": paper.exemption_reason,
            "review_on": iso_date(paper.exemption_review_on),
        }
    if not paper.final:
        out["final"] = False
    if paper.supplement:
        out["supplement"] = True
    if paper.file:
        relative = paper.file.name
        out["file"] = relative
        if paper.file_has_equality_comments:
            out["file_has_equality_comments"] = True
        if files_dir is not None:
            target = files_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with paper.file.open("rb") as source:
                target.write_bytes(source.read())
    else:
        out["sections"] = {k: getattr(paper, k) for k in SECTION_KEYS if getattr(paper, k)}
    return out


def action_record(action: Action, places: dict[int, int] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": action.key,
        "description": action.description,
        "owners": [o.person.key if o.person_id else o.role for o in action.owners.all()],
    }
    if action.ongoing:
        out["deadline"] = "ongoing"
    elif action.deadline:
        out["deadline"] = iso_date(action.deadline)
    out["status"] = action.status
    if places and action.paragraph_id in places:
        out["paragraph"] = places[action.paragraph_id]
    if action.minutes_text:
        out["minutes_text"] = action.minutes_text
    if action.status_note:
        out["status_note"] = action.status_note
    updates = list(action.updates.all())
    if updates:
        out["updates"] = [
            {"date": iso_date(u.date), "status": u.status, **({"note": u.note} if u.note else {})}
            for u in updates
        ]
    return out
