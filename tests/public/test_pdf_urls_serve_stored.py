"""No request renders a PDF once a meeting's documents exist (issue 16): every URL pattern of
the site that serves a PDF, walked for a meeting with a published agenda (June 2019, four
papers: authored and uploaded, public and exempt) and one with published minutes (March
2019), as the public, a partner and a secretary, with every way to lay out a PDF refusing.

Rendered on request by design, and so left out here: the chair's brief (partners and
secretaries only, always the records as they are now) and drafts (an agenda or minutes not yet
published, for those who may see drafts); both render in worker processes with a hard time
limit (reports/documents/workers.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver

from meetings.models import Meeting
from reports.annual_pdf import store_annual_pdf
from reports.models import Paper, StoredDocument
from reports.services import AGENDA_KINDS, MINUTES_KINDS, freeze_documents
from tests.documents.test_frozen_papers import PaperWorld
from tests.no_render import no_render

# Named URLs that render on request by design (see the module's docstring), with why.
LIVE_BY_DESIGN = {
    "reports:chair_brief_pdf": "the chair's brief: partners and secretaries only, always live",
}
# The meeting's document each of these serves: a meeting without it stored has a draft, left
# out (see the module's docstring).
KIND_OF = {
    "reports:agenda_pdf": "agenda",
    "reports:pack_pdf": "pack",
    "reports:partners_pack_pdf": "partners_pack",
    "reports:partners_agenda_pdf": "partners_agenda",
    "reports:minutes_pdf": "minutes",
    "reports:actions_arising_pdf": "actions_arising",
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def pdf_patterns() -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern whose route ends in .pdf, includes walked."""

    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, space)
            elif isinstance(pattern, URLPattern) and route.endswith(".pdf"):
                yield route, f"{namespace}{pattern.name}"

    yield from walk(get_resolver().url_patterns, "/", "")


class PdfUrlsServeStoredTests(PaperWorld):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.publish()  # June: every document of the agenda and every paper frozen
        cls.march = Meeting.objects.select_related("body").get(key="2019-03-06")
        freeze_documents(cls.march, [*AGENDA_KINDS, *MINUTES_KINDS])
        store_annual_pdf(cls.june.body_id, 2019)  # what the job does
        cls.partner_user = cls.partner

    def urls(self, route: str, name: str) -> list[str]:
        """The route filled in for each meeting, each paper and each kind it takes."""
        names = PARAMETER.findall(route)
        urls = []
        for meeting in (self.june, self.march):
            stored = meeting.stored_documents.filter(kind=KIND_OF.get(name, "")).exists()
            if name in KIND_OF and not stored:
                continue  # a draft
            papers = list(Paper.objects.filter(item__meeting=meeting).select_related("item"))
            base = {"body_slug": "prg", "body": "prg", "key": meeting.key}
            base |= {"year": str(meeting.date.year), "version": "1"}
            choices = [base]
            if {"paper_key", "paper"} & set(names):
                choices = [
                    base | {"paper_key": p.key, "paper": p.key, "number": p.item.number}
                    for p in papers
                ]
            if "kind" in names:
                kinds = StoredDocument.objects.filter(meeting=meeting).exclude(kind="paper")
                slugs = sorted({k.replace("_", "-") for k in kinds.values_list("kind", flat=True)})
                choices = [c | {"kind": slug} for c in choices for slug in slugs]
            for values in choices:
                urls.append(PARAMETER.sub(lambda m, v=values: v[m.group(1)], route))
        return urls

    def test_the_walk_finds_the_sites_pdf_urls(self) -> None:
        names = {name for _, name in pdf_patterns()}
        assert {
            "reports:agenda_pdf",
            "reports:pack_pdf",
            "reports:minutes_pdf",
            "reports:paper_pdf",
            "reports:stored_document",
            "public:annual-pdf",
            "workspace:paper_file",
        } <= names

    def test_no_pdf_url_renders_once_the_documents_exist(self) -> None:
        secretary = User.objects.get(username="secretary")
        readers: list[tuple[str, User | None]] = [
            ("public", None),
            ("partner", self.partner_user),
            ("secretary", secretary),
        ]
        served: dict[str, int] = {}
        for route, name in pdf_patterns():
            if name in LIVE_BY_DESIGN:
                continue
            served.setdefault(name, 0)
            for url in self.urls(route, name):
                for label, user in readers:
                    with no_render():
                        response = self.get(url, user)
                    assert response.status_code in (200, 202, 302, 403, 404), (
                        f"{url} as {label}: {response.status_code}"
                    )
                    if response.status_code == 200:
                        assert response["Content-Type"] == "application/pdf", url
                        served[name] += 1
        # Each URL served a PDF to someone: the walk proved something for every one.
        assert [name for name, count in served.items() if not count] == []
