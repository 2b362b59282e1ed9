"""A paper withdrawn as exempt is withdrawn from every public version: a correction that
reclassifies a published paper as exempt issues new public versions without it and withdraws
the earlier ones that held it (kept for the record, shown to secretaries only)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, StreamingHttpResponse
from django.test import TestCase

from meetings.models import Meeting
from reports.models import Paper, StoredDocument
from reports.papers import withdraw_paper_as_exempt
from reports.services import AGENDA_KINDS, freeze_documents
from tests.demo import load_demo
from tests.pdfs import TemporaryMedia, read_pdf
from tests.world import CastMixin

Kind = StoredDocument.Kind
MAY = "/prg/meetings/2019-05-01/"
PAPER = "vru-delivery-model"


def content(response: HttpResponse) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return response.content


def words(text: str, n: int = 6) -> str:
    return " ".join(text.split()[:n])


class WithdrawnPaperTests(CastMixin, TemporaryMedia, TestCase):
    """The 1 May agenda published and frozen, its delivery-model paper public."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.cast_on_the_records()
        cls.may = Meeting.objects.get(key="2019-05-01")
        freeze_documents(cls.may, AGENDA_KINDS)
        cls.paper = Paper.objects.get(item__meeting=cls.may, key=PAPER)

    def test_reclassifying_a_published_paper_as_exempt_withdraws_every_public_version(
        self,
    ) -> None:
        public = self.client
        summary = words(self.paper.executive_summary)
        old_pack = content(public.get(MAY + "pack.pdf"))
        self.assertIn(summary, read_pdf(old_pack).all_text())
        self.assertEqual(public.get(MAY + f"papers/{PAPER}.pdf").status_code, 200)

        withdraw_paper_as_exempt(
            self.paper,
            exemption_section="s.43 (commercial interests)",
            exemption_reason="Names the providers still negotiating.",
            review_on=dt.date(2020, 5, 1),
            reason="The paper names providers still negotiating.",
            user=self.secretary,
        )

        # The public: a new pack without the paper; neither the old pack nor the paper.
        new_pack = content(public.get(MAY + "pack.pdf"))
        self.assertNotIn(summary, read_pdf(new_pack).all_text())
        self.assertEqual(public.get(MAY + "documents/2/pack.pdf").status_code, 200)
        self.assertEqual(public.get(MAY + "documents/1/pack.pdf").status_code, 404)
        self.assertEqual(public.get(MAY + f"papers/{PAPER}.pdf").status_code, 404)
        page = public.get(MAY).content.decode()
        self.assertIn("Version 1 (withdrawn: It held", page)
        self.assertNotIn("documents/1/pack.pdf", page)
        self.assertIn("documents/1/agenda.pdf", page)  # the agenda did not print the paper
        withdrawn = StoredDocument.objects.filter(meeting=self.may, withdrawn_at__isnull=False)
        self.assertEqual(
            sorted((d.kind, d.audience, d.version) for d in withdrawn),
            [(Kind.PACK, "", 1), (Kind.PAPER, "public", 1)],
        )

        # The secretary: the withdrawn version kept for the record, byte for byte.
        self.client.force_login(self.secretary)
        response = self.client.get(MAY + "documents/1/pack.pdf")
        self.assertEqual(content(response), old_pack)
        self.assertIn("private", response["Cache-Control"])
        # Partners still read the paper, as exempt.
        self.client.force_login(self.partner)
        partners_pack = read_pdf(content(self.client.get(MAY + "partners-pack.pdf")))
        self.assertIn(summary, partners_pack.all_text())
