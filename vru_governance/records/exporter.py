"""Export the records of one or all bodies in the records format, with computed blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Prefetch

from actions.models import Action
from meetings.models import AgendaItem, Meeting
from members.models import Body, Person, TermsOfReference
from reports.models import SECTION_KEYS, Paper
from vru_governance.records import FORMAT


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _t(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def export_records(body_slug: str | None = None, files_dir: Path | None = None) -> dict[str, Any]:
    """The whole document; uploaded paper PDFs are copied into files_dir when given."""
    bodies = Body.objects.order_by("slug")
    if body_slug:
        bodies = bodies.filter(slug=body_slug)
    return {"format": FORMAT, "bodies": [_body(b, files_dir) for b in bodies]}


def _body(body: Body, files_dir: Path | None) -> dict[str, Any]:
    terms = list(
        TermsOfReference.objects.filter(body=body)
        .order_by("effective_from", "version")
        .prefetch_related("seats", "quorum_groups")
    )
    appointments = list(body.appointments.select_related("person").order_by("start", "person__key"))
    meetings = list(
        Meeting.objects.filter(body=body)
        .order_by("date", "start_time", "key")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.order_by("position", "pk").prefetch_related(
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
                ),
            ),
            "attendance__person",
            "attendance__on_behalf_of",
            "attendance__from_item",
            "attendance__to_item",
        )
    )
    people_ids = {a.person_id for a in appointments}
    for meeting in meetings:
        for row in meeting.attendance.all():
            people_ids.add(row.person_id)
            if row.on_behalf_of_id:
                people_ids.add(row.on_behalf_of_id)
        for item in meeting.items.all():
            people_ids.update(d.person_id for d in item.declarations.all())
            people_ids.update(d.person_id for d in item.dissents.all())
            for action in item.actions.all():
                people_ids.update(o.person_id for o in action.owners.all() if o.person_id)
    people = Person.objects.filter(pk__in=people_ids).order_by("key")
    out: dict[str, Any] = {"slug": body.slug, "name": body.name}
    if body.description:
        out["description"] = body.description
    out["terms_of_reference"] = [_terms(t) for t in terms]
    out["people"] = [_person(p) for p in people]
    out["memberships"] = [_membership(a) for a in appointments]
    out["meetings"] = [_meeting(m, files_dir) for m in meetings]
    return out


def _terms(terms: TermsOfReference) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": terms.version,
        "title": terms.title,
        "status": terms.status,
        "effective_from": _d(terms.effective_from),
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


def _person(person: Person) -> dict[str, Any]:
    out = {"key": person.key, "name": person.name}
    for name in ("role", "organisation", "email"):
        if getattr(person, name):
            out[name] = getattr(person, name)
    return out


def _membership(appt) -> dict[str, Any]:
    out = {
        "person": appt.person.key,
        "seat": appt.seat_key,
        "start": _d(appt.start),
        "end": _d(appt.end),
    }
    if appt.exception:
        out["exception"] = appt.exception
    return out


def _meeting(meeting: Meeting, files_dir: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": meeting.key,
        "date": _d(meeting.date),
        "start": _t(meeting.start_time),
    }
    if meeting.end_time:
        out["end"] = _t(meeting.end_time)
    out["place"] = meeting.place
    out["status"] = meeting.status
    out["attendance"] = [_attendance(a) for a in meeting.attendance.all()]
    out["items"] = [_item(i, meeting, files_dir) for i in meeting.items.all()]
    quorum = meeting.quorum()
    out["quorum"] = quorum.as_export()
    composition = meeting.body.composition_on(meeting.date)
    if composition is not None:
        out["composition"] = composition.as_export()
    return out


def _attendance(row) -> dict[str, Any]:
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


def _item(item: AgendaItem, meeting: Meeting, files_dir: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {"number": item.number, "title": item.title, "kind": item.kind}
    if item.presenter:
        out["presenter"] = item.presenter
    if item.outcome:
        out["outcome"] = item.outcome
    declarations = list(item.declarations.all())
    if declarations:
        out["declarations"] = [
            {"person": d.person.key, "interest": d.interest, "withdrew": d.withdrew}
            for d in declarations
        ]
    dissents = list(item.dissents.all())
    if dissents:
        out["dissent"] = [{"person": d.person.key, "text": d.text} for d in dissents]
    papers = list(item.papers.all())
    if papers:
        out["papers"] = [_paper(p, files_dir) for p in papers]
    paragraphs = list(item.paragraphs.all())
    if paragraphs:
        out["minutes"] = [p.text for p in paragraphs]
    actions = list(item.actions.all())
    if actions:
        out["actions"] = [_action(a) for a in actions]
    return out


def _paper(paper: Paper, files_dir: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {"key": paper.key, "title": paper.title}
    for name in ("author", "presented_by", "cleared_by"):
        if getattr(paper, name):
            out[name] = getattr(paper, name)
    out["classification"] = paper.classification
    if paper.is_exempt:
        out["exemption"] = {
            "section": paper.exemption_section,
            "reason": paper.exemption_reason,
            "review_on": _d(paper.exemption_review_on),
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


def _action(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": action.key,
        "description": action.description,
        "owners": [o.person.key if o.person_id else o.role for o in action.owners.all()],
    }
    if action.ongoing:
        out["deadline"] = "ongoing"
    elif action.deadline:
        out["deadline"] = _d(action.deadline)
    out["status"] = action.status
    if action.status_note:
        out["status_note"] = action.status_note
    updates = list(action.updates.all())
    if updates:
        out["updates"] = [
            {"date": _d(u.date), "status": u.status, **({"note": u.note} if u.note else {})}
            for u in updates
        ]
    return out
