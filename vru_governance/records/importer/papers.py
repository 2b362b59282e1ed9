"""Importing papers: their fields, and their PDF files read from beside the records file."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from meetings import lifecycle
from meetings.models import AgendaItem
from reports.models import SECTION_KEYS, Paper
from reports.pdf_safety import RefusedPdf, check_paper_pdf
from vru_governance.records.bulk import Batch
from vru_governance.records.importer.base import ImporterBase, _date


class PaperSteps(ImporterBase):
    """The import steps of an agenda item's papers and their files."""

    def paper(
        self,
        item: AgendaItem,
        data: dict[str, Any],
        position: int,
        path: str,
        batch: Batch | None = None,
    ) -> None:
        exemption = data.get("exemption") or {}
        sections = data.get("sections") or {}
        values: dict[str, Any] = {
            "position": position,
            "title": data["title"],
            "author": data.get("author", ""),
            "presented_by": data.get("presented_by", ""),
            "cleared_by": data.get("cleared_by", ""),
            "classification": data["classification"],
            "exemption_section": exemption.get("section", ""),
            "exemption_reason": exemption.get("reason", ""),
            "exemption_review_on": _date(exemption.get("review_on")),
            "final": data.get("final", True),
            "supplement": data.get("supplement", False),
            "file_has_equality_comments": data.get("file_has_equality_comments", False),
        }
        for key in SECTION_KEYS:
            values[key] = sections.get(key, "")
        content = None
        if data.get("file"):
            content = self.read_pdf(data["file"], f"{path}.file")
            if content is None:
                return
        paper = None
        if batch is None:
            paper = Paper.objects.filter(item=item, key=data["key"]).first()
        created = paper is None
        if created:
            paper = Paper(item=item, key=data["key"], **values)
        changed = created or any(getattr(paper, k) != v for k, v in values.items())
        for k, v in values.items():
            setattr(paper, k, v)
        if content is not None:
            if not paper.file or _sha256_of(paper.file) != hashlib.sha256(content).hexdigest():
                if not created:
                    try:
                        # Refused before the new file reaches the storage (a published
                        # paper's file is never overwritten, nor an orphan left beside it).
                        lifecycle.check_replacing(paper, "file")
                    except ValidationError as refused:
                        self.error(f"{path}.file", " ".join(refused.messages))
                        return
                paper.file.save(f"{paper.key}.pdf", ContentFile(content), save=False)
                self.saved_files.append(paper.file.name)
                changed = True
        elif paper.file:
            paper.file = None
            changed = True
        if not changed:
            return
        if not self.validate(path, paper):
            return
        if created and batch is not None:
            batch.add("papers", paper)
        else:
            paper.save()
            self.summary.count("papers", created)

    def read_pdf(self, name: str, path: str) -> bytes | None:
        if self.base_dir is None:
            self.error(path, "A paper file can only be read when importing from a file.")
            return None
        base = self.base_dir.resolve()
        target = (base / name).resolve()
        if base not in target.parents:
            self.error(path, f"'{name}' is outside the folder of the records file.")
            return None
        if not target.is_file():
            self.error(path, f"No file '{name}' beside the records file.")
            return None
        content = target.read_bytes()
        try:
            check_paper_pdf(content)  # the upload form's test, so both refuse the same files
        except RefusedPdf as exc:
            if exc.kind == "not_pdf":
                self.error(path, f"'{name}' is not a PDF.")
            elif exc.kind == "active":
                found = " and ".join(exc.found)
                self.error(path, f"'{name}' contains {found}; papers must be plain PDFs.")
            else:
                self.error(path, f"'{name}': {exc}")
            return None
        return content


def _sha256_of(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()
