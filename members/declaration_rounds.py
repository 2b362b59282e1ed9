"""The annual declaration round: start one, confirm a register, see who confirmed, and the
e-mails that ask and remind (sent by `manage.py send_declaration_round_mail`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from members.models import Body, DeclarationConfirmation, DeclarationRound, Person

# Reminders go out this many days before the due date, and after it until everyone confirmed.
REMIND_WITHIN_DAYS = 14


def members_asked(round: DeclarationRound, on: dt.date | None = None) -> list[Person]:
    """The people with an appointment to the round's body active on the day, by name."""
    on = on or timezone.localdate()
    people = {a.person for a in round.body.appointments_on(on).select_related("person__user")}
    return sorted(people, key=lambda person: (person.name, person.pk))


def open_round(body: Body) -> DeclarationRound | None:
    """The body's newest round: the one members answer (a new round supersedes it)."""
    return body.declaration_rounds.order_by("-started_at", "-pk").first()


@transaction.atomic
def start_round(*, body: Body, due_on: dt.date, by: User | None) -> DeclarationRound:
    """Start a round: every member is asked to confirm their register by due_on."""
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": f"The due date ({due_on:%-d %B %Y}) has passed."})
    # A new round supersedes the current one (its answers stay in the history).
    round = DeclarationRound(body=body, due_on=due_on, started_by=by)
    round.full_clean()
    round.save()
    return round


@transaction.atomic
def confirm_register(
    *, round: DeclarationRound, person: Person, updated: bool = False, note: str = ""
) -> DeclarationConfirmation:
    """Record that person confirmed their register in the round (kept in its history)."""
    if person.pk not in {p.pk for p in members_asked(round)}:
        raise ValidationError(
            f"{person.name} is not a member of the {round.body.name}, so is not asked to confirm."
        )
    current = open_round(round.body)
    if current is not None and current.pk != round.pk:
        raise ValidationError(
            f"The round due on {round.due_on:%-d %B %Y} has been replaced by the one due on "
            f"{current.due_on:%-d %B %Y}: confirm in that one."
        )
    if round.confirmations.filter(person=person).exists():
        raise ValidationError(f"{person.name} has already confirmed in this round.")
    confirmation = DeclarationConfirmation(
        round=round, person=person, updated=updated, note=note.strip()
    )
    confirmation.full_clean()
    confirmation.save()
    return confirmation


@dataclass(frozen=True)
class Answer:
    """A member asked in a round and their confirmation, if they gave one."""

    person: Person
    confirmation: DeclarationConfirmation | None


def answers(round: DeclarationRound) -> list[Answer]:
    """Everyone asked, with their confirmation or None (two queries)."""
    confirmed = {c.person_id: c for c in round.confirmations.all()}
    return [Answer(p, confirmed.get(p.pk)) for p in members_asked(round)]


def waiting(round: DeclarationRound) -> list[Person]:
    """The members asked who have not confirmed yet."""
    return [a.person for a in answers(round) if a.confirmation is None]


def _address(person: Person) -> str:
    return person.email or (person.user.email if person.user_id and person.user else "")


def due_mail(round: DeclarationRound, today: dt.date) -> str:
    """Which e-mail the round calls for today: "ask" (never asked), "remind" (within
    REMIND_WITHIN_DAYS of the due date or past it, not yet reminded today) or ""."""
    if round.asked_at is None:
        return "ask"
    if round.reminded_on == today:
        return ""
    if (round.due_on - today).days <= REMIND_WITHIN_DAYS:
        return "remind"
    return ""


def send_round_mail(round: DeclarationRound, *, today: dt.date, base_url: str = "") -> int:
    """Ask (or remind) the members who have not confirmed, one e-mail each; returns how many."""
    kind = due_mail(round, today)
    if not kind:
        return 0
    messages = []
    subject = (
        f"{'Reminder: c' if kind == 'remind' else 'C'}onfirm your register of interests by "
        f"{round.due_on:%-d %B %Y} ({round.body.name})"
    )
    for person in waiting(round):
        address = _address(person)
        if not address:
            continue
        body = render_to_string(
            "partners/emails/declaration_round.txt",
            {"person": person, "round": round, "kind": kind, "base_url": base_url.rstrip("/")},
        )
        messages.append(EmailMessage(subject, body, to=[address]))
    sent = get_connection().send_messages(messages) if messages else 0
    if kind == "ask":
        round.asked_at = timezone.now()
    round.reminded_on = today
    round.save(update_fields=["asked_at", "reminded_on"])
    return sent or 0


def rounds_for(person: Person, bodies: list[Body]) -> list[tuple[DeclarationRound, bool]]:
    """Each body's current round with whether person has confirmed in it (two queries)."""
    newest: dict[int, DeclarationRound] = {}
    for round in DeclarationRound.objects.filter(body__in=bodies).select_related("body"):
        # Meta.ordering is newest due date first; the latest started wins a tie.
        current = newest.get(round.body_id)
        if current is None or (round.started_at, round.pk) > (current.started_at, current.pk):
            newest[round.body_id] = round
    done = set(
        DeclarationConfirmation.objects.filter(
            person=person, round__in=list(newest.values())
        ).values_list("round_id", flat=True)
    )
    return [(r, r.pk in done) for r in newest.values()]
