"""Page counts of stored documents frozen before their count was kept (stored as 0).

New documents record their page count when they are frozen (reports/services.py); this fills
the rows that predate it, once, from the stored file, so that no page ever parses a PDF to
label a link ("PDF, 290 KB, 42 pages"). Run by migration 0016 and safe to run again.
"""

from __future__ import annotations

import logging

import pypdf
from django.db import models

logger = logging.getLogger(__name__)


def count_pages(field_file: models.fields.files.FieldFile) -> int:
    """The PDF's page count, or 0 when the file is missing or unreadable."""
    try:
        with field_file.open("rb") as handle:
            return len(pypdf.PdfReader(handle, strict=False).pages)
    except Exception as exc:  # a missing or damaged file keeps its unknown count
        logger.warning("No page count for %s: %s", field_file.name, exc)
        return 0


def fill_missing_page_counts(stored_documents: type[models.Model]) -> int:
    """Record the page count of each stored document that has none; returns how many."""
    filled = 0
    for document in stored_documents.objects.filter(pages=0).only("pk", "file").iterator():
        pages = count_pages(document.file)
        if pages:
            stored_documents.objects.filter(pk=document.pk).update(pages=pages)
            filled += 1
    return filled
