"""The annual declaration round: the secretary starts it, members confirm on their dashboard,
e-mails ask and remind, and the secretary sees who has confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from members import declaration_rounds as rounds
from members.models import DeclarationConfirmation, DeclarationRound, Person
from tests.world import Cast

ROUND_PAGE = "/manage/prg/members/declaration-round/"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_confirms_on_the_dashboard_and_the_secretary_sees_it(cast: Cast) -> None:
    secretary, partner = signed_in(cast.secretary), signed_in(cast.partner)
    due = timezone.localdate() + dt.timedelta(days=30)
    response = secretary.post(ROUND_PAGE, {"due_on": due.isoformat()})
    assert response.status_code == 302
    round = DeclarationRound.objects.get(body=cast.body)
    page = secretary.get(ROUND_PAGE).content.decode()
    asked = len(rounds.members_asked(round))
    assert f"0 of {asked} members have confirmed." in page

    dashboard = partner.get("/partners/").content.decode()
    assert "Confirm my register is up to date" in dashboard
    confirm = f"/partners/prg/declaration-round/{round.pk}/confirm/"
    assert (
        partner.post(confirm, {"updated": "on", "note": "Added my trusteeship."}).status_code == 302
    )
    assert "You have confirmed your register" in partner.get("/partners/").content.decode()

    page = secretary.get(ROUND_PAGE).content.decode()
    assert f"1 of {asked} members have confirmed." in page
    assert "(register updated)" in page and "Added my trusteeship." in page
    # The confirmation is part of the history.
    jake = Person.objects.get(key="jake-ferguson")
    assert DeclarationConfirmation.history.filter(person=jake, round=round).count() == 1
    person_page = secretary.get("/manage/prg/people/jake-ferguson/").content.decode()
    assert f"Jake Ferguson confirmed {cast.body.name}: register due" in person_page


def test_a_confirmation_is_refused_twice_from_a_non_member_and_in_a_replaced_round(
    cast: Cast,
) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="has passed"):
        rounds.start_round(body=cast.body, due_on=today - dt.timedelta(days=1), by=None)
    old = rounds.start_round(body=cast.body, due_on=today, by=None)
    round = rounds.start_round(body=cast.body, due_on=today + dt.timedelta(days=9), by=None)
    jake = Person.objects.get(key="jake-ferguson")
    with pytest.raises(ValidationError, match="has been replaced"):
        rounds.confirm_register(round=old, person=jake)
    rounds.confirm_register(round=round, person=jake)
    with pytest.raises(ValidationError, match="already confirmed"):
        rounds.confirm_register(round=round, person=jake)
    outsider = Person.objects.get(key="outsider-person")
    with pytest.raises(ValidationError, match="not a member"):
        rounds.confirm_register(round=round, person=outsider)


def test_the_command_asks_everyone_then_reminds_only_those_who_have_not_confirmed(
    cast: Cast,
) -> None:
    today = timezone.localdate()
    round = rounds.start_round(body=cast.body, due_on=today + dt.timedelta(days=30), by=None)
    members = rounds.members_asked(round)
    for person in members:
        Person.objects.filter(pk=person.pk).update(email=f"{person.key}@example.org")
    jake = Person.objects.get(key="jake-ferguson")
    rounds.confirm_register(round=round, person=jake)

    call_command("send_declaration_round_mail", date=today.isoformat(), stdout=None)
    assert len(mail.outbox) == len(members) - 1
    assert mail.outbox[0].subject.startswith("Confirm your register of interests by")
    assert "jake-ferguson@example.org" not in [m.to[0] for m in mail.outbox]

    # Asked already, and the due date more than two weeks away: nothing more.
    mail.outbox.clear()
    call_command("send_declaration_round_mail", date=(today + dt.timedelta(days=1)).isoformat())
    assert mail.outbox == []
    # Within two weeks of the due date: a reminder, once a day.
    soon = (today + dt.timedelta(days=20)).isoformat()
    call_command("send_declaration_round_mail", date=soon)
    assert len(mail.outbox) == len(members) - 1
    assert mail.outbox[0].subject.startswith("Reminder: confirm your register")
    call_command("send_declaration_round_mail", date=soon)
    assert len(mail.outbox) == len(members) - 1
