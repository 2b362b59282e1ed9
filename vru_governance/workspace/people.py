"""The secretary's workspace: people linked to a body, and their register of interests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from members import services
from members.models import Body, DeclarationConfirmation, Interest, Person
from members.people import may_change, people_of
from vru_governance.workspace.base import form_errors, refused, workspace_post_view, workspace_view
from vru_governance.workspace.forms.members import EndInterestForm, InterestForm, PersonForm
from vru_governance.workspace.history import history_entries


def _people_of(body: Body) -> QuerySet[Person]:
    """People on the body's records, and people not yet on any body's (members/people.py)."""
    return people_of(Body.objects.filter(pk=body.pk))


@workspace_view
def people(request: HttpRequest, body: Body) -> HttpResponse:
    listed = _people_of(body).order_by("name")
    return render(request, "workspace/members/people.html", {"body": body, "people": listed})


@workspace_view
def person_edit(request: HttpRequest, body: Body, key: str | None = None) -> HttpResponse:
    person = get_object_or_404(_people_of(body), key=key) if key else Person()
    form = PersonForm(request.POST or None, instance=person, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_person(form.instance, by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Saved {person.name}.")
            return redirect("workspace:person", body=body.slug, key=person.key)
    return _person_page(request, body, person, form)


def _person_page(
    request: HttpRequest,
    body: Body,
    person: Person,
    form: PersonForm,
    interest_form: InterestForm | None = None,
) -> HttpResponse:
    """A person's page: details, appointments to the body, interests and their history."""
    context: dict[str, Any] = {
        "body": body,
        "person": person,
        "form": form,
        "may_change": may_change(request.user, person),
    }
    if person.pk:
        context.update(
            interests=person.interests.all(),
            interest_form=interest_form or InterestForm(initial={"registered_on": dt.date.today()}),
            # Each seat as the ToR in force on the appointment's first day names it.
            appointments=services.label_seats(body, list(person.appointments.filter(body=body))),
            history=history_entries(
                [
                    Person.history.filter(id=person.pk),
                    Interest.history.filter(person_id=person.pk),
                    # Their confirmations in the body's declaration rounds (annual register).
                    DeclarationConfirmation.history.filter(person_id=person.pk, round__body=body),
                ]
            ),
        )
    return render(request, "workspace/members/person.html", context)


@workspace_post_view
def interest_add(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    person = get_object_or_404(_people_of(body), key=key)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.register_interest(person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Interest registered.")
            return redirect("workspace:person", body=body.slug, key=person.key)
    return _person_page(request, body, person, PersonForm(instance=person), form)


@workspace_view
def interest_end(request: HttpRequest, body: Body, key: str, pk: int) -> HttpResponse:
    person = get_object_or_404(_people_of(body), key=key)
    interest = get_object_or_404(person.interests, pk=pk)
    form = EndInterestForm(
        request.POST or None,
        initial={"ended_on": dt.date.today(), "version": interest.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.end_interest(interest, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, "The interest is recorded as ended.")
            return redirect("workspace:person", body=body.slug, key=person.key)
    if conflict is not None:
        interest = get_object_or_404(person.interests, pk=pk)  # as the partner saved it
    return render(
        request,
        "workspace/members/interest_end.html",
        {
            "body": body,
            "person": person,
            "interest": interest,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict is not None else 200,
    )
