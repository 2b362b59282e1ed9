"""manage.py verify_documents — check every stored document against its SHA-256 and size.

A records tool beside backup and restore, which read the same digests."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.models import StoredDocument
from vru_governance.records.backup import digest


def problem_with(document: StoredDocument) -> str | None:
    """Why the stored file is not what was published, or None when it is."""
    storage = document.file.storage
    if not document.file.name or not storage.exists(document.file.name):
        return "the file is missing"
    with storage.open(document.file.name, "rb") as handle:
        sha, size = digest(handle)
    if size != document.size:
        return f"its size is {size} bytes, not the {document.size} recorded"
    if sha != document.sha256:
        return f"its SHA-256 is {sha}, not the {document.sha256} recorded"
    return None


class Command(BaseCommand):
    help = "Verify every published document against its recorded SHA-256 and size (daily cron)."

    def handle(self, *args, **options) -> None:
        documents = StoredDocument.objects.select_related("meeting__body", "paper").order_by("pk")
        checked = 0
        problems = []
        for document in documents.iterator():
            checked += 1
            problem = problem_with(document)
            if problem:
                meeting = document.meeting
                what = document.kind
                if document.paper is not None:  # each paper's copy is checked as the rest
                    what = f"paper {document.paper.key} ({document.audience})"
                problems.append(
                    f"{meeting.body.slug}/{meeting.key} {what} v{document.version} "
                    f"({document.file.name}): {problem}"
                )
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} stored documents failed the check.")
        self.stdout.write(f"All {checked} stored documents match their SHA-256 and size.")
