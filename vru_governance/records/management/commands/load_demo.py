"""manage.py load_demo FILE — import the demo records and create the demo accounts."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from members.models import Body, Person
from reports.services import AGENDA_KINDS, MINUTES_KINDS, freeze_documents
from vru_governance.accounts.users import ensure_groups

SECRETARY = "secretary"
PARTNER = "partner"
# The demo partner signs in as a real partner of the board: Jake Ferguson (Hackney CVS).
PARTNER_PERSON = "jake-ferguson"
# Documents of the published demo meetings, frozen once (a second run keeps what is stored).
FROZEN = {"2019-05-01": AGENDA_KINDS, "2019-03-06": AGENDA_KINDS + MINUTES_KINDS}


class Command(BaseCommand):
    help = "Load the demo records and (re)create the demo secretary and partner accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--password", help="Use this password for both accounts instead of new random ones."
        )
        parser.add_argument(
            "--no-documents",
            action="store_true",
            help="Skip rendering and storing the published documents (for tests).",
        )

    def handle(self, *args, **options) -> None:
        # Nothing rendered ahead by jobs while loading: on SQLite (make run) a job thread
        # writing beside the freezes below left them "database is locked"; the documents
        # are frozen here, and the annual report is rendered when first asked for.
        with override_settings(DOCUMENTS_RENDER_AHEAD=False):
            self._load(options)

    def _load(self, options: dict) -> None:
        call_command("import_records", options["file"], stdout=self.stdout, stderr=self.stderr)
        secretariat, partners = ensure_groups()
        users = get_user_model()
        body = Body.objects.get(slug="prg")

        secretary, _ = users.objects.get_or_create(
            username=SECRETARY, defaults={"first_name": "Amy", "last_name": "Gelsthorpe-Hill"}
        )
        secretary.is_staff = True
        password_s = options.get("password") or secrets.token_urlsafe(9)
        secretary.set_password(password_s)
        secretary.save()
        secretary.groups.add(secretariat)
        body.secretaries.add(secretary)

        partner, _ = users.objects.get_or_create(
            username=PARTNER, defaults={"first_name": "Jake", "last_name": "Ferguson"}
        )
        password_p = options.get("password") or secrets.token_urlsafe(9)
        partner.set_password(password_p)
        partner.save()
        partner.groups.add(partners)
        Person.objects.filter(user=partner).exclude(key=PARTNER_PERSON).update(user=None)
        Person.objects.filter(key=PARTNER_PERSON).update(user=partner)

        frozen = {} if options.get("no_documents") else FROZEN
        for meeting in body.meetings.filter(key__in=frozen):
            stored = freeze_documents(meeting, FROZEN[meeting.key])
            versions = ", ".join(f"{d.kind} v{d.version}" for d in stored)
            self.stdout.write(f"Stored documents of {meeting.key}: {versions}")

        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo accounts (passwords are new on every run):\n"
                f"  secretary: {SECRETARY} / {password_s}   (board secretary; /admin/)\n"
                f"  partner:   {PARTNER} / {password_p}   (Jake Ferguson, partner)\n"
            )
        )
