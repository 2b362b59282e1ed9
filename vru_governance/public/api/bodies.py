"""Open data: bodies, their published terms of reference and memberships, as read-only JSON.

Shapes follow records-format.md (vru_governance/records/serialise.py, as the exporter writes
them), with people's email addresses left out. The API answers as the public, whoever asks.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone

from members.models import Body, Person
from members.published import published_terms, terms_on
from reports.published import body_or_404
from vru_governance.public.api.problems import api_view
from vru_governance.records import FORMAT, serialise


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def public_person(person: Person) -> dict[str, Any]:
    """A person as in records-format.md, without the email address."""
    return {k: v for k, v in serialise.person_record(person).items() if k != "email"}


def _body_summary(request: HttpRequest, body: Body) -> dict[str, Any]:
    out: dict[str, Any] = {"slug": body.slug, "name": body.name}
    if body.description:
        out["description"] = body.description
    out["url"] = absolute(request, reverse("public:body", args=[body.slug]))
    out["api_url"] = absolute(request, reverse("public:api-body", args=[body.slug]))
    out["meetings_url"] = absolute(request, reverse("public:api-meetings", args=[body.slug]))
    return out


@api_view
def bodies(request: HttpRequest) -> JsonResponse:
    """Every body, with links to its records."""
    found = Body.objects.order_by("slug")
    return JsonResponse({"format": FORMAT, "bodies": [_body_summary(request, b) for b in found]})


@api_view
def body(request: HttpRequest, body_slug: str) -> JsonResponse:
    """A body with its published terms of reference, people and memberships."""
    found = body_or_404(body_slug)
    versions = list(published_terms(found).prefetch_related("quorum_groups"))
    appointments = list(
        found.appointments.select_related("person").order_by("start", "person__key")
    )
    people = {a.person.key: a.person for a in appointments}
    out = _body_summary(request, found)
    out["terms_of_reference"] = [serialise.terms_record(t) for t in reversed(versions)]
    out["people"] = [public_person(people[k]) for k in sorted(people)]
    out["memberships"] = [serialise.membership_record(a) for a in appointments]
    today = timezone.localdate()
    terms = terms_on(versions, today)
    if terms is not None:
        serving = [a for a in appointments if a.is_active_on(today)]
        out["composition"] = {
            "date": today.isoformat(),
            **terms.composition_of(serving).as_export(),
        }
    return JsonResponse({"format": FORMAT, "body": out})
