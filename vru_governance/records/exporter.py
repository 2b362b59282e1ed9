"""Export the records of one or all bodies in the records format, with computed blocks.

Each record is written by vru_governance/records/serialise.py, which the open-data API uses too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Prefetch

from meetings.models import Meeting
from members.models import Body, DeclarationConfirmation, Person, TermsOfReference
from vru_governance.records import FORMAT, serialise


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
        serialise.with_records(
            Meeting.objects.filter(body=body).order_by("date", "start_time", "key")
        )
    )
    rounds = list(
        body.declaration_rounds.order_by("due_on", "pk").prefetch_related(
            Prefetch(
                "confirmations",
                queryset=DeclarationConfirmation.objects.select_related("person").order_by(
                    "confirmed_at", "person__key"
                ),
            )
        )
    )
    people_ids = {a.person_id for a in appointments}
    for round in rounds:
        people_ids.update(c.person_id for c in round.confirmations.all())
    for meeting in meetings:
        if meeting.contact_officer_id:
            people_ids.add(meeting.contact_officer_id)
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
    if body.publisher_line:
        out["publisher_line"] = body.publisher_line
    standard = serialise.standard_agenda_record(body)
    if standard:
        out["standard_agenda"] = standard
    out["terms_of_reference"] = [serialise.terms_record(t) for t in terms]
    out["people"] = [serialise.person_record(p) for p in people]
    out["memberships"] = [serialise.membership_record(a) for a in appointments]
    out["meetings"] = [serialise.meeting_record(m, files_dir) for m in meetings]
    if rounds:
        out["declaration_rounds"] = [serialise.declaration_round_record(r) for r in rounds]
    return out
