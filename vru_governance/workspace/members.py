"""The secretary's workspace: bodies, roster and composition, appointments, people and their
interests, terms of reference versions."""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from members import access, services
from members.models import Appointment, Body, Interest, Person, TermsOfReference
from vru_governance.accounts.views import second_step_redirect
from vru_governance.workspace.forms.members import (
    AppointForm,
    EndAppointmentForm,
    EndInterestForm,
    GroupFormSet,
    InterestForm,
    PersonForm,
    RosterDateForm,
    SeatFormSet,
    TermsForm,
    lines_of,
)
from vru_governance.workspace.history import history_entries


def secretary_body(request: HttpRequest, slug: str) -> Body:
    """The body, if the user is its secretary: 403 for its partners, 404 for everyone else."""
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise Http404("No such body.")
    if access.is_secretary(request.user, body):
        return body
    if access.is_partner(request.user, body):
        raise PermissionDenied("Only the body's secretaries work here.")
    raise Http404("No such body.")


def workspace_login_required(view: Any) -> Any:
    """Signed in, and past the second factor: a code for users with an authenticator, and
    enrolment first where OTP_REQUIRED_FOR_SECRETARIAT asks for it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = second_step_redirect(request)
        if step is not None:
            return step
        return view(request, *args, **kwargs)

    return wrapper


def workspace_view(view: Any) -> Any:
    """Sign-in (and second factor) required, then the body fetched through the one access
    check."""

    @workspace_login_required
    @wraps(view)
    def wrapper(request: HttpRequest, body: str, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, secretary_body(request, body), *args, **kwargs)

    return wrapper


def workspace_post_view(view: Any) -> Any:
    """workspace_view for a view that only takes POST (publish, remove, endorse and other
    buttons). The method is checked last: a signed-out reader is sent to sign in whatever
    the method, an outsider is refused as on every workspace page, and only the body's own
    secretaries are told 405 (require_POST on the outside would answer anyone 405 first)."""
    return workspace_view(require_POST(view))


def form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: beside fields it names, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def secretary_bodies(request: HttpRequest) -> list[Body]:
    """The bodies the user is secretary of, by name; 403 for anyone who is secretary of none."""
    candidates = Body.objects.order_by("name")
    if not request.user.is_superuser:
        candidates = candidates.filter(secretaries=request.user)  # not every body, one by one
    bodies = [b for b in candidates if access.is_secretary(request.user, b)]
    if not bodies:
        raise PermissionDenied("You are not the secretary of any body.")
    return bodies


@workspace_login_required
def index(request: HttpRequest) -> HttpResponse:
    """The bodies this secretary serves."""
    bodies = secretary_bodies(request)
    today = dt.date.today()
    rows = [(b, b.composition_on(today)) for b in bodies]
    return render(request, "workspace/index.html", {"rows": rows})


@workspace_view
def roster(request: HttpRequest, body: Body) -> HttpResponse:
    """The roster by seat (vacant seats shown), the ToR in force and the composition panel."""
    date_form = RosterDateForm(request.GET or None)
    on = date_form.date()
    context = {
        "body": body,
        "roster": services.roster_on(body, on),
        "date_form": date_form,
        "ended": body.appointments.filter(end__lt=on).select_related("person").order_by("-end"),
        "future": body.appointments.filter(start__gt=on).select_related("person"),
        "terms": body.terms.order_by("-effective_from"),
    }
    return render(request, "workspace/members/roster.html", context)


@workspace_view
def appoint(request: HttpRequest, body: Body) -> HttpResponse:
    form = AppointForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            appt = services.appoint(
                body,
                person=form.cleaned_data["person"],
                seat_key=form.cleaned_data["seat_key"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                exception=form.cleaned_data["exception"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{appt.person} appointed from {appt.start:%-d %B %Y}.")
            return redirect("workspace:roster", body=body.slug)
    return render(request, "workspace/members/appoint.html", {"body": body, "form": form})


@workspace_view
def end_appointment(request: HttpRequest, body: Body, pk: int) -> HttpResponse:
    appt = get_object_or_404(body.appointments.select_related("person"), pk=pk)
    form = EndAppointmentForm(request.POST or None, initial={"end": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_appointment(appt, end=form.cleaned_data["end"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{appt.person}'s appointment ends on {appt.end:%-d %B %Y}.")
            return redirect("workspace:roster", body=body.slug)
    history = history_entries([Appointment.history.filter(id=appt.pk)])
    return render(
        request,
        "workspace/members/end_appointment.html",
        {"body": body, "appointment": appt, "form": form, "history": history},
    )


# People and their register of interests ------------------------------------------------


def _people_of(body: Body) -> Any:
    """People linked to the body, and people not yet linked to any body."""
    return Person.objects.filter(
        Q(appointments__body=body)
        | Q(attendances__meeting__body=body)
        | Q(appointments__isnull=True, attendances__isnull=True)
    ).distinct()


@workspace_view
def people(request: HttpRequest, body: Body) -> HttpResponse:
    listed = _people_of(body).order_by("name")
    return render(request, "workspace/members/people.html", {"body": body, "people": listed})


@workspace_view
def person_edit(request: HttpRequest, body: Body, key: str | None = None) -> HttpResponse:
    person = get_object_or_404(_people_of(body), key=key) if key else Person()
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_person(form.instance)
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
    context: dict[str, Any] = {"body": body, "person": person, "form": form}
    if person.pk:
        context.update(
            interests=person.interests.all(),
            interest_form=interest_form or InterestForm(initial={"registered_on": dt.date.today()}),
            appointments=person.appointments.filter(body=body),
            history=history_entries(
                [
                    Person.history.filter(id=person.pk),
                    Interest.history.filter(person_id=person.pk),
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
            services.register_interest(person, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Interest registered.")
            return redirect("workspace:person", body=body.slug, key=person.key)
    return _person_page(request, body, person, PersonForm(instance=person), form)


@workspace_view
def interest_end(request: HttpRequest, body: Body, key: str, pk: int) -> HttpResponse:
    person = get_object_or_404(_people_of(body), key=key)
    # Imported here: meetings' workspace views import this module.
    from vru_governance.workspace.meetings import refused

    interest = get_object_or_404(person.interests, pk=pk)
    form = EndInterestForm(
        request.POST or None,
        initial={"ended_on": dt.date.today(), "version": interest.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.end_interest(interest, **form.cleaned_data)
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


# Terms of reference --------------------------------------------------------------------


@workspace_view
def terms_detail(request: HttpRequest, body: Body, version: str) -> HttpResponse:
    terms = get_object_or_404(
        body.terms.prefetch_related("seats", "quorum_groups"), version=version
    )
    seats = [(s, terms.seat_capacity(s)) for s in terms.seat_list()]
    history = history_entries([TermsOfReference.history.filter(id=terms.pk)])
    return render(
        request,
        "workspace/members/terms_detail.html",
        {
            "body": body,
            "terms": terms,
            "seats": seats,
            "history": history,
            "in_force": body.terms_in_force(dt.date.today()),
        },
    )


@workspace_view
def terms_edit(request: HttpRequest, body: Body, version: str | None = None) -> HttpResponse:
    """Draft a new ToR version (from the one in force) or edit a draft."""
    if version:
        terms = get_object_or_404(body.terms, version=version)
        if terms.status != TermsOfReference.Status.DRAFT:
            messages.error(request, "Only a draft can be edited; draft a new version instead.")
            return redirect("workspace:terms", body=body.slug, version=version)
        source = terms
    else:
        source = body.terms_in_force(dt.date.today())
        terms = TermsOfReference(body=body)
        if source is not None:
            for name in services.COPIED_TERMS_FIELDS:
                setattr(terms, name, getattr(source, name))
    seat_lines, group_lines = services.next_version_from(source)
    # Initial rows only for a new page: a posted row is compared with nothing, so every
    # typed row counts (blank extra rows are ignored, ticked rows removed).
    bound = request.method == "POST"
    # Bound on every POST, even an empty one (whose form would otherwise have no cleaned_data).
    data = request.POST if bound else None
    form = TermsForm(data, instance=terms)
    seats = SeatFormSet(
        data,
        prefix="seats",
        initial=None if bound else [s.__dict__ for s in seat_lines],
    )
    groups = GroupFormSet(
        data,
        prefix="groups",
        initial=None
        if bound
        else [{**g.__dict__, "any_of": ", ".join(g.any_of)} for g in group_lines],
    )
    computed = None
    if bound:
        valid = form.is_valid()  # cleans every field, so the share is there even if not valid
        share = form.cleaned_data.get("community_min_share")
        # The count is of the typed plan, whatever else is still missing (never the old one's).
        if seats.is_valid() and share is not None:
            computed = services.computed_community_seats(lines_of(seats), share)
        if "save" in request.POST and valid and seats.is_valid() and groups.is_valid():
            try:
                saved = services.save_draft_terms(
                    form.save(commit=False), seats=lines_of(seats), groups=lines_of(groups)
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"Draft {saved.title} saved.")
                return redirect("workspace:terms", body=body.slug, version=saved.version)
    elif source is not None:
        computed = (source.community_seats(), source.total_seats())
    return render(
        request,
        "workspace/members/terms_edit.html",
        {
            "body": body,
            "terms": terms,
            "form": form,
            "seats": seats,
            "groups": groups,
            "computed": computed,
        },
    )


@workspace_post_view
def terms_endorse(request: HttpRequest, body: Body, version: str) -> HttpResponse:
    terms = get_object_or_404(body.terms, version=version)
    try:
        services.endorse_terms(terms)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"{terms.title} endorsed: in force from {terms.effective_from:%-d %B %Y}."
        )
    return redirect("workspace:terms", body=body.slug, version=version)
