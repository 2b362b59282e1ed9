"""The annual declaration round in the workspace: start a round, see who has confirmed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from members import declaration_rounds as rounds
from members.models import Body
from vru_governance.workspace.base import form_errors, workspace_view


class StartRoundForm(forms.Form):
    due_on = forms.DateField(
        label="Confirm by",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Every member is asked (e-mail and dashboard) to confirm or update their "
        "register of interests by this date, and reminded until they do.",
    )


@workspace_view
def declaration_round(request: HttpRequest, body: Body) -> HttpResponse:
    """The current round with who has confirmed, and a form to start the next one."""
    form = StartRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = rounds.start_round(
                body=body, due_on=form.cleaned_data["due_on"], by=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                f"Declaration round started: members confirm by {started.due_on:%-d %B %Y}.",
            )
            return redirect("workspace:declaration_round", body=body.slug)
    current = rounds.open_round(body)
    answers = rounds.answers(current) if current else []
    context = {
        "body": body,
        "form": form,
        "round": current,
        "answers": answers,
        "confirmed": sum(1 for a in answers if a.confirmation),
        # One query for every earlier round with its count, however many there are.
        "earlier": body.declaration_rounds.exclude(pk=current.pk if current else None).annotate(
            confirmed_count=Count("confirmations")
        ),
    }
    return render(request, "workspace/members/declaration_round.html", context)
