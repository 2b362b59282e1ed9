"""The partners' portal: the dashboard, proposing an item for the forward plan, a status
update on an action they own, and their own register of interests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Action
from actions.services import add_update
from meetings import access
from members import declaration_rounds
from members import services as members_services
from members.models import Interest
from reports.published import meetings_visible_to, only_visible
from vru_governance.partners.base import (
    UPCOMING,
    Partner,
    dashboard_context,
    meeting_of,
    not_a_partner,
    partner_for,
    partner_login_required,
)
from vru_governance.partners.forms import ActionUpdateForm, InterestForm, ProposalForm
from vru_governance.workspace.base import beside, refused


@partner_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard; its forms post here too, so that a refused form is shown again at the
    dashboard's own address (a reload or a bookmark then finds the page, not a 405)."""
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    if request.method == "POST":
        data = request.POST
        form = data.get("form")
        if form == "interest":
            return post_interest(request, partner)
        if form == "propose":
            return post_proposal(request, partner, data.get("body", ""))
        if form == "action":
            keys = (data.get("body", ""), data.get("meeting", ""), data.get("action", ""))
            return post_action_update(request, partner, *keys)
        messages.error(request, "The page was out of date, so nothing was changed.")
        return redirect(reverse("public:partners"))
    return render(request, "partners/dashboard.html", dashboard_context(request, partner))


def to_dashboard(anchor: str) -> HttpResponse:
    """The dashboard at one of its sections (after a form, or for a form's address opened
    again rather than "method not allowed")."""
    return redirect(reverse("public:partners") + f"#{anchor}")


@partner_login_required
@require_POST
def propose_item(request: HttpRequest, body_slug: str) -> HttpResponse:
    """Propose an item for the body's forward plan (the dashboard's form posts to the
    dashboard; this address stays for clients that post here)."""
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    return post_proposal(request, partner, body_slug)


def post_proposal(request: HttpRequest, partner: Partner, body_slug: str) -> HttpResponse:
    """Propose an item for the body's forward plan, as the partner's person."""
    body = partner.body(body_slug)
    upcoming = only_visible(
        request.user,
        list(
            meetings_visible_to(request.user, body)
            .filter(date__gte=timezone.localdate())
            .order_by("date")[:UPCOMING]
        ),
    )
    form = ProposalForm(request.POST, body=body, meetings=upcoming, prefix=f"propose-{body.pk}")
    if form.is_valid():
        item = form.save(commit=False)
        item.body = body
        item.proposed_by = partner.person
        item.save()
        messages.success(request, f"Thank you: “{item.title}” is proposed for the forward plan.")
        return redirect(reverse("public:partners") + f"#proposals-{body.slug}")
    context = dashboard_context(request, partner, proposal_forms={body.pk: form})
    return render(request, "partners/dashboard.html", context, status=400)


# Actions --------------------------------------------------------------------------------


def action_for(
    request: HttpRequest, partner: Partner, body_slug: str, meeting_key: str, action_key: str
) -> Action:
    """The partner's own action, through its body and meeting; 404 for anyone else's."""
    meeting = meeting_of(partner.body(body_slug), meeting_key)
    action = meeting.actions.filter(key=action_key, owners__person=partner.person).first()
    if action is None or not access.can_see_minutes(request.user, meeting):
        raise Http404("No such action of yours.")
    return action


@partner_login_required
@require_POST
def update_action(
    request: HttpRequest, body_slug: str, meeting_key: str, action_key: str
) -> HttpResponse:
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    return post_action_update(request, partner, body_slug, meeting_key, action_key)


def post_action_update(
    request: HttpRequest, partner: Partner, body_slug: str, meeting_key: str, action_key: str
) -> HttpResponse:
    """A status update with a note on one of the partner's own actions."""
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
                # The dashboard shows the action as saved now, beside the status and note kept.
                status = 409
        else:
            messages.success(request, f"Your update on “{action}” is recorded.")
            return redirect(reverse("public:partners") + f"#action-{action.pk}")
    context = dashboard_context(request, partner, action_forms={action.pk: form})
    if status == 409:
        action.refresh_from_db()
        latest = action.updates.order_by("-pk").first()
        saved = {"status": action.status, "note": latest.note if latest else ""}
        context.update(conflict_action=action, beside_rows=beside(form, saved))
    return render(request, "partners/dashboard.html", context, status=status)


# The register of interests ----------------------------------------------------------------------


def interest_for(partner: Partner, pk: int) -> Interest:
    """An entry of the partner's own register, fetched through their person; 404 otherwise."""
    interest = partner.person.interests.filter(pk=pk).first()
    if interest is None:
        raise Http404("No such interest in your register.")
    return interest


@partner_login_required
@require_POST
def add_interest(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    return post_interest(request, partner)


def post_interest(request: HttpRequest, partner: Partner) -> HttpResponse:
    """A new entry in the partner's own register of interests."""
    form = InterestForm(request.POST, prefix="interest")
    form.instance.person = partner.person
    if form.is_valid():
        data = form.cleaned_data
        try:
            members_services.register_interest(
                partner.person,
                by=request.user,
                category=data["category"],
                description=data["description"],
                registered_on=data["registered_on"],
                ended_on=data["ended_on"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "The interest is added to your register.")
            return redirect(reverse("public:partners") + "#interests")
    context = dashboard_context(request, partner, interest_form=form)
    return render(request, "partners/dashboard.html", context, status=400)


@partner_login_required
def edit_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an entry, or record the date it ended."""
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    interest = interest_for(partner, pk)
    form = InterestForm(request.POST or None, instance=interest, prefix="interest")
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            members_services.update_interest(
                interest,
                category=data["category"],
                description=data["description"],
                registered_on=data["registered_on"],
                ended_on=data["ended_on"],
                by=request.user,
                version=data["version"],
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, "Your register of interests is updated.")
            return redirect(reverse("public:partners") + "#interests")
    status = 200
    if request.method == "POST":
        status = 409 if conflict is not None else 400
    beside_rows = []
    if conflict is not None:
        interest = interest_for(partner, pk)  # as saved now, beside what was typed
        fields = ("category", "description", "registered_on", "ended_on")
        beside_rows = beside(form, {f: getattr(interest, f) for f in fields})
    context = {
        "form": form,
        "interest": interest,
        "partner": partner,
        "conflict": conflict,
        "beside_rows": beside_rows,
    }
    return render(request, "partners/interest_form.html", context, status=status)


@partner_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_register(request: HttpRequest, body_slug: str, pk: int) -> HttpResponse:
    """The partner confirms their register of interests in the body's declaration round."""
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    if request.method != "POST":
        return to_dashboard("declaration-round")
    body = partner.body(body_slug)
    round = get_object_or_404(body.declaration_rounds, pk=pk)
    try:
        declaration_rounds.confirm_register(
            round=round,
            person=partner.person,
            updated=request.POST.get("updated") == "on",
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Thank you: your confirmation is recorded.")
    return to_dashboard("declaration-round")
