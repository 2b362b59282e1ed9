"""A partner posts a status update on an action they own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import Action
from actions.services import add_update
from members import access
from vru_governance.partners.base import (
    Partner,
    dashboard_context,
    meeting_of,
    not_a_partner,
    partner_for,
)
from vru_governance.partners.forms_actions import ActionUpdateForm
from vru_governance.workspace.meetings import refused


def action_for(
    request: HttpRequest, partner: Partner, body_slug: str, meeting_key: str, action_key: str
) -> Action:
    """The partner's own action, through its body and meeting; 404 for anyone else's."""
    meeting = meeting_of(partner.body(body_slug), meeting_key)
    action = meeting.actions.filter(key=action_key, owners__person=partner.person).first()
    if action is None or not access.can_see_minutes(request.user, meeting):
        raise Http404("No such action of yours.")
    return action


@login_required
@require_POST
def update_action(
    request: HttpRequest, body_slug: str, meeting_key: str, action_key: str
) -> HttpResponse:
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    action = action_for(request, partner, body_slug, meeting_key, action_key)
    form = ActionUpdateForm(request.POST, prefix=f"action-{action.pk}")
    status = 400
    if form.is_valid():
        try:
            add_update(
                action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                author=request.user,
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            if refused(form, exc) is not None:
                # The dashboard shows the action's status as saved now, above the note kept.
                status = 409
        else:
            messages.success(request, f"Your update on “{action}” is recorded.")
            return redirect(reverse("public:partners") + f"#action-{action.pk}")
    context = dashboard_context(request, partner, action_forms={action.pk: form})
    return render(request, "partners/dashboard.html", context, status=status)
