"""The workspace's test world: the demo board, its secretary, a partner, a partner of another
body, a secretary of another body and the public."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from members.models import Body, Person
from tests.demo import load_demo
from tests.world import D, appoint, make_body, person
from vru_governance.accounts.users import ensure_groups


class WorkspaceWorld:
    """Mixin for TestCase: setUpTestData builds the world once per class."""

    body: Body
    other: Body
    secretary: User
    partner: User
    outsider: User
    other_secretary: User

    @classmethod
    def build_world(cls) -> None:
        load_demo()
        secretariat, partners = ensure_groups()
        cls.body = Body.objects.get(slug="prg")
        cls.secretary = User.objects.create_user(
            "secretary", first_name="Amy", last_name="Gelsthorpe-Hill"
        )
        cls.secretary.groups.add(secretariat)
        cls.body.secretaries.add(cls.secretary)
        cls.partner = User.objects.create_user("partner")
        cls.partner.groups.add(partners)
        Person.objects.filter(key="jake-ferguson").update(user=cls.partner)
        cls.other, _ = make_body("other", effective_from=D(2019, 1, 1))
        appoint(cls.other, "outsider-person", "chair", D(2019, 1, 1), check=False)
        cls.outsider = User.objects.create_user("outsider")
        cls.outsider.groups.add(partners)
        Person.objects.filter(key="outsider-person").update(user=cls.outsider)
        cls.other_secretary = User.objects.create_user("other-secretary")
        cls.other.secretaries.add(cls.other_secretary)
        person("unattached-person", "Unattached Person")

    @classmethod
    def add_second_secretary(cls) -> None:
        """Bob, a second secretary of the same board, for the two-editor (conflict) tests."""
        secretariat, _ = ensure_groups()
        cls.second = User.objects.create_user("second-secretary", first_name="Bob")
        cls.second.groups.add(secretariat)
        cls.body.secretaries.add(cls.second)

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client
