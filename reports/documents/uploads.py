"""Uploaded PDF papers: read through the storage API, then drawn under numbered placeholder
pages of the pack (reports/documents/workers.py, draw_upload)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reports.documents.workers import open_upload
from reports.models import Paper

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)


@dataclass
class Upload:
    """An uploaded paper's pages and, once laid out, the part's pages that carry them."""

    paper: Paper
    reader: PdfReader | None
    count: int
    error: str = ""
    data: bytes = b""
    page_indexes: list[int] = field(default_factory=list)

    def anchors(self, part_anchor: str) -> list[str]:
        """The ids of the placeholder pages laid out for this upload."""
        return [f"{part_anchor}-p{number}" for number in range(1, self.count + 1)]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_upload(paper: Paper) -> Upload:
    """Open the uploaded file; an unreadable one becomes a one-page notice, not an error."""
    from pypdf.errors import PyPdfError

    try:
        with paper.file.open("rb") as handle:
            data = handle.read()
        reader = open_upload(data)
        count = len(reader.pages)
        if count == 0:
            raise PyPdfError("the file has no pages")
    except (OSError, ValueError, PyPdfError) as exc:
        logger.warning("Paper %s: uploaded PDF not included: %s", paper.pk, exc)
        return Upload(paper=paper, reader=None, count=1, error=str(exc))
    return Upload(paper=paper, reader=reader, count=count, data=data)
