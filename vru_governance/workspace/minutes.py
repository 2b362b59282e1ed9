"""The secretary's workspace: summary minutes, their lifecycle, corrections and the preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from meetings.services import minutes as services
from meetings.services import minutes_lifecycle as steps
from members.models import Body, Person
from reports.documents.minutes import build_minutes
from vru_governance.workspace.base import (
    conflict_status,
    form_errors,
    item_of,
    meeting_of,
    refused,
    workspace_post_view,
    workspace_view,
)
from vru_governance.workspace.forms.minutes import (
    ApproveForm,
    ClosingTimeForm,
    CorrectionForm,
    DeclarationForm,
    DissentForm,
    ItemMinutesForm,
    ParagraphFormSet,
    StepDateForm,
)


def _people(meeting: Meeting) -> Any:
    """Those who may declare or dissent: the meeting's members and attendees."""
    return Person.objects.filter(pk__in=services.people_of_meeting(meeting)).order_by("name")


@workspace_view
def minutes(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """The minutes editor: every item with its numbered paragraphs, and the lifecycle."""
    meeting = meeting_of(body, key)
    closing = ClosingTimeForm(initial={"end_time": meeting.end_time, "version": meeting.version})
    conflict = None
    if request.method == "POST":
        closing = ClosingTimeForm(request.POST)
        if closing.is_valid():
            try:
                services.set_closing_time(
                    meeting,
                    end_time=closing.cleaned_data["end_time"],
                    version=closing.cleaned_data["version"],
                )
            except ValidationError as exc:
                conflict = refused(closing, exc)
            else:
                messages.success(request, "Closing time saved.")
                return redirect("workspace:minutes", body=body.slug, key=meeting.key)
    if conflict is not None:
        meeting.refresh_from_db()
    view = services.minutes_view(meeting)
    unconfirmed = [
        a
        for i in view.items
        for a in i.actions + [x for p in i.paragraphs for x in p.actions]
        if not a.confirmed
    ]
    return render(
        request,
        "workspace/meetings/minutes.html",
        {
            "body": body,
            "meeting": meeting,
            "view": view,
            "closing": closing,
            "unconfirmed": unconfirmed,
            # Asked for only while the minutes are out for comment (its choices are a query).
            "approve_form": ApproveForm(meeting=meeting)
            if meeting.status == Meeting.Status.MINUTES_CIRCULATED
            else None,
            "circulate_form": step_date_form(meeting, "circulate"),
            "publish_form": step_date_form(meeting, "publish"),
            # Ordered within the one meeting (the default ordering joins it to sort by it); who
            # made each is not shown.
            "corrections": meeting.corrections.select_related("paragraph__item").order_by(
                "made_at", "pk"
            ),
            "conflict": conflict,
        },
        status=conflict_status(conflict),
    )


def _paragraph_initial(item: AgendaItem) -> list[dict[str, Any]]:
    return [{"id": p.pk, "text": p.text} for p in item.paragraphs.all()]


@workspace_view
def item_minutes(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    """Write an item's numbered paragraphs (with 'Action:' lines) and record its decision."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    data = request.POST if request.method == "POST" else None
    form = ItemMinutesForm(data, initial=ItemMinutesForm.initial_for(item))
    paragraphs = ParagraphFormSet(data, prefix="p", initial=_paragraph_initial(item))
    conflict = None
    if request.method == "POST" and form.is_valid() and paragraphs.is_valid():
        entries = [
            services.ParagraphInput(
                pk=f.cleaned_data.get("id"),
                text=f.cleaned_data.get("text", ""),
                delete=bool(f.cleaned_data.get("DELETE")),
            )
            for f in paragraphs.forms
            if f.cleaned_data
        ]
        try:
            created = services.save_item_minutes(
                item,
                version=form.cleaned_data["version"],
                paragraphs=entries,
                outcome=form.cleaned_data["outcome"],
                decision=form.decision(),
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            note = (
                f" {len(created)} action{'s' if len(created) != 1 else ''} to confirm."
                if created
                else ""
            )
            messages.success(request, f"Minutes of item {item.number} saved.{note}")
            if "add" in request.POST:
                return redirect(
                    "workspace:item_minutes", body=body.slug, key=meeting.key, number=item.number
                )
            return redirect("workspace:minutes", body=body.slug, key=meeting.key)
    if conflict is not None:
        item.refresh_from_db()
    return _item_page(request, item, form=form, paragraphs=paragraphs, conflict=conflict)


def _item_page(
    request: HttpRequest,
    item: AgendaItem,
    *,
    form: ItemMinutesForm | None = None,
    paragraphs: Any = None,
    conflict: ValidationError | None = None,
    declaration_form: DeclarationForm | None = None,
    dissent_form: DissentForm | None = None,
) -> HttpResponse:
    """The page of an item's minutes, with whichever of its forms was posted still bound."""
    meeting = item.meeting
    people = _people(meeting)
    numbered = services.minutes_view(meeting)
    current = next(v for v in numbered.items if v.item.pk == item.pk)
    if form is None:
        form = ItemMinutesForm(initial=ItemMinutesForm.initial_for(item))
        paragraphs = ParagraphFormSet(prefix="p", initial=_paragraph_initial(item))
    return render(
        request,
        "workspace/meetings/item_minutes.html",
        status=conflict_status(conflict),
        context={
            "body": meeting.body,
            "meeting": meeting,
            "item": item,
            "form": form,
            "paragraphs": paragraphs,
            "conflict": conflict,
            "current": current,
            "declaration_form": declaration_form or DeclarationForm(people=people, prefix="decl"),
            "dissent_form": dissent_form or DissentForm(people=people, prefix="dissent"),
        },
    )


# A declaration and a dissent: their form's prefix, the service that records one, its name,
# and the item page's name for the form; the related name and service that remove one.
RECORDED: dict[type[forms.Form], tuple[str, Callable[..., Any], str, str]] = {
    DeclarationForm: ("decl", services.add_declaration, "Declaration", "declaration_form"),
    DissentForm: ("dissent", services.add_dissent, "Dissent or reservation", "dissent_form"),
}
REMOVED: dict[str, Callable[..., None]] = {
    "declarations": services.remove_declaration,
    "dissents": services.remove_dissent,
}


def _record(
    request: HttpRequest, body: Body, key: str, number: str, kind: type[forms.Form]
) -> HttpResponse:
    """Record a declaration or a dissent against an item; on an error the page is shown again
    with what was typed and the errors beside the fields."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    prefix, add, what, bound = RECORDED[kind]
    form = kind(request.POST, people=_people(meeting), prefix=prefix)
    if form.is_valid():
        try:
            add(item, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{what} recorded.")
            return redirect(
                "workspace:item_minutes", body=body.slug, key=meeting.key, number=number
            )
    return _item_page(request, item, **{bound: form})


def _remove(
    request: HttpRequest, body: Body, key: str, number: str, pk: int, related: str
) -> HttpResponse:
    """Remove a declaration or a dissent, fetched through its item."""
    meeting = meeting_of(body, key)
    item = item_of(meeting, number)
    record = getattr(item, related).filter(pk=pk).first()
    if record is None:
        # Most often removed by the other secretary a moment before: nothing is left to do.
        messages.info(request, "That record was already removed.")
        return redirect("workspace:item_minutes", body=body.slug, key=meeting.key, number=number)
    try:
        REMOVED[related](record)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("workspace:item_minutes", body=body.slug, key=meeting.key, number=number)


@workspace_post_view
def declaration_add(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    return _record(request, body, key, number, DeclarationForm)


@workspace_post_view
def declaration_remove(
    request: HttpRequest, body: Body, key: str, number: str, pk: int
) -> HttpResponse:
    return _remove(request, body, key, number, pk, "declarations")


@workspace_post_view
def dissent_add(request: HttpRequest, body: Body, key: str, number: str) -> HttpResponse:
    return _record(request, body, key, number, DissentForm)


@workspace_post_view
def dissent_remove(
    request: HttpRequest, body: Body, key: str, number: str, pk: int
) -> HttpResponse:
    return _remove(request, body, key, number, pk, "dissents")


@workspace_view
def preview(request: HttpRequest, body: Body, key: str) -> HttpResponse:
    """The summary minutes exactly as the public will read them."""
    meeting = meeting_of(body, key)
    return render(
        request,
        "workspace/meetings/minutes_preview.html",
        {"body": body, "meeting": meeting, "minutes": build_minutes(meeting)},
    )


# The minutes steps that may be recorded as history: the label of their date field.
STEP_DATES = {
    "circulate": "Record as history: the minutes were circulated on",
    "publish": "Record as history: the minutes were published on",
}


def step_date_form(meeting: Meeting, step: str, data: Any = None) -> StepDateForm:
    """The date of a step: asked always of a meeting recorded as history, offered otherwise."""
    return StepDateForm(
        data,
        prefix=step,
        label=STEP_DATES[step],
        required=meeting.recorded_as_history,
    )


def _step_date(meeting: Meeting, step: str, data: Any) -> Any:
    form = step_date_form(meeting, step, data)
    if not form.is_valid():
        raise ValidationError(
            "; ".join(f"{form.fields['on'].label}: {e}" for e in form.errors.get("on", []))
        )
    return form.cleaned_data["on"]


def _done(day: Any, now: str, then: str) -> str:
    return then.format(day=f"{day:%-d %B %Y}") if day is not None else now


@workspace_post_view
def lifecycle(request: HttpRequest, body: Body, key: str, step: str) -> HttpResponse:
    """Circulate, approve or publish the minutes (now, or recorded as history on a date)."""
    meeting = meeting_of(body, key)
    try:
        if step == "circulate":
            day = _step_date(meeting, step, request.POST)
            steps.circulate_minutes(
                meeting,
                request.user,
                base_url=request.build_absolute_uri("/"),
                circulated_on=day,
            )
            messages.success(
                request,
                _done(
                    day,
                    "Draft minutes circulated; partners are being e-mailed (see Publish).",
                    "Minutes recorded as circulated on {day}; no one was e-mailed.",
                ),
            )
        elif step == "approve":
            form = ApproveForm(request.POST, meeting=meeting)
            if not form.is_valid():
                raise ValidationError("Choose the meeting that approved the minutes, or the Chair.")
            meeting = steps.approve_minutes(meeting, request.user, **form.cleaned_data)
            messages.success(
                request,
                f"Minutes approved on {meeting.minutes_approved_at:%-d %B %Y}: they are now "
                "locked.",
            )
        elif step == "publish":
            day = _step_date(meeting, step, request.POST)
            steps.publish_minutes(
                meeting,
                request.user,
                published_on=day,
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request, _done(day, "Minutes published.", "Minutes recorded as published on {day}.")
            )
        else:
            raise ValidationError(f"Unknown step '{step}'.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("workspace:minutes", body=body.slug, key=meeting.key)


@workspace_view
def correct(request: HttpRequest, body: Body, key: str, pk: int) -> HttpResponse:
    """Correct a paragraph of approved minutes; the correction is recorded with its reason."""
    meeting = meeting_of(body, key)
    paragraph = get_object_or_404(
        MinuteParagraph.objects.select_related("item"), pk=pk, item__meeting=meeting
    )
    form = CorrectionForm(
        request.POST or None, initial={"text": paragraph.text, "version": paragraph.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_minutes(paragraph, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, "Correction recorded.")
            return redirect("workspace:minutes", body=body.slug, key=meeting.key)
    if conflict is not None:
        paragraph.refresh_from_db()
    return render(
        request,
        "workspace/meetings/correct.html",
        {
            "body": body,
            "meeting": meeting,
            "paragraph": paragraph,
            "form": form,
            "conflict": conflict,
        },
        status=conflict_status(conflict),
    )
