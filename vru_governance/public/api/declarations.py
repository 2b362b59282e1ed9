"""Open data: a body's annual declaration rounds of the register of interests (issue 18).

What is public of a round: its dates, who was asked (the members on the due date, or today for
a round still open), and for each whether and on what day they confirmed, and whether by the
due date. Never the note a member left for the secretary, nor anyone's contact details (those
are in the secretary's records export only). Three queries whatever the number of rounds.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone

from members.models import DeclarationConfirmation, Person
from reports.published import body_or_404
from vru_governance.public.api.bodies import absolute
from vru_governance.public.api.problems import api_view
from vru_governance.records import FORMAT, serialise


@api_view
def declaration_rounds(request: HttpRequest, body_slug: str) -> JsonResponse:
    """Every round of the body, newest due date first, with each member's answer."""
    body = body_or_404(body_slug)
    today = timezone.localdate()
    rounds = list(
        body.declaration_rounds.order_by("-due_on", "-pk").prefetch_related(
            Prefetch(
                "confirmations",
                queryset=DeclarationConfirmation.objects.select_related("person"),
            )
        )
    )
    appointments = list(body.appointments.select_related("person"))
    # The newest started round is the one members answer (members/declaration_rounds.py).
    current = max(rounds, key=lambda r: (r.started_at, r.pk)) if rounds else None
    out = []
    for round in rounds:
        day = min(round.due_on, today)
        asked: dict[int, Person] = {
            a.person_id: a.person for a in appointments if a.is_active_on(day)
        }
        confirmed = {c.person_id: c for c in round.confirmations.all()}
        for c in confirmed.values():
            asked.setdefault(c.person_id, c.person)
        members = []
        for person in sorted(asked.values(), key=lambda p: (p.name, p.key)):
            c = confirmed.get(person.pk)
            on = timezone.localdate(c.confirmed_at) if c else None
            members.append(
                {
                    "person": person.key,
                    "name": person.name,
                    "confirmed": c is not None,
                    "confirmed_on": serialise.iso_date(on),
                    "by_due_date": on is not None and on <= round.due_on,
                    "updated": bool(c and c.updated),
                }
            )
        out.append(
            {
                "due_on": serialise.iso_date(round.due_on),
                "started_on": serialise.iso_date(timezone.localdate(round.started_at)),
                "current": round is current,
                "asked": len(members),
                "confirmed": sum(1 for m in members if m["confirmed"]),
                "members": members,
            }
        )
    return JsonResponse(
        {
            "format": FORMAT,
            "body": body.slug,
            "url": absolute(request, reverse("public:api-declaration-rounds", args=[body.slug])),
            "rounds": out,
        }
    )
