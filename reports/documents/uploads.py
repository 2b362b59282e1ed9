"""Uploaded PDF papers: read through the storage API and merged under numbered pages (pypdf)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reports.models import Paper

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)

# Bands (PDF points, 1 mm = 2.835 pt) kept free for our page number and the exempt marking:
# the uploaded page is scaled to fit between them, so nothing of it is covered.
FOOTER_BAND = 12 * 72 / 25.4
MARKING_BAND = 12 * 72 / 25.4


@dataclass
class Upload:
    """An uploaded paper's pages and, once laid out, the pack pages that carry them."""

    paper: Paper
    reader: PdfReader | None
    count: int
    error: str = ""
    page_indexes: list[int] = field(default_factory=list)

    def anchors(self, part_anchor: str) -> list[str]:
        """The ids of the placeholder pages laid out for this upload."""
        return [f"{part_anchor}-p{number}" for number in range(1, self.count + 1)]


def read_upload(paper: Paper) -> Upload:
    """Open the uploaded file; an unreadable one becomes a one-page notice, not an error."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with paper.file.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PyPdfError("the file is encrypted")
        count = len(reader.pages)
        if count == 0:
            raise PyPdfError("the file has no pages")
    except (OSError, ValueError, PyPdfError) as exc:
        logger.warning("Paper %s: uploaded PDF not included: %s", paper.pk, exc)
        return Upload(paper=paper, reader=None, count=1, error=str(exc))
    return Upload(paper=paper, reader=reader, count=count)


def merge_uploads(pdf: bytes, uploads: list[Upload], *, offset: int) -> bytes:
    """Draw each uploaded page under its placeholder (footer and marking stay on top)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for upload in uploads:
        assert upload.reader is not None
        # Pages must belong to a writer before their rotation can be moved into the content.
        sources = PdfWriter(clone_from=upload.reader)
        for source_index, target_index in enumerate(upload.page_indexes):
            target = writer.pages[offset + target_index]
            source = sources.pages[source_index]
            if source.rotation:
                source.transfer_rotation_to_content()
            box = source.mediabox
            width, height = float(box.width), float(box.height)
            target_width = float(target.mediabox.width)
            top = MARKING_BAND if upload.paper.is_exempt else 0.0
            room = float(target.mediabox.height) - FOOTER_BAND - top
            scale = min(target_width / width, room / height)
            dx = (target_width - width * scale) / 2 - float(box.left) * scale
            dy = FOOTER_BAND + (room - height * scale) / 2 - float(box.bottom) * scale
            transform = Transformation().scale(scale, scale).translate(dx, dy)
            target.merge_transformed_page(source, transform, over=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
