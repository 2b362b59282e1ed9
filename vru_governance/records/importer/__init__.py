"""Import a records document: all or nothing, idempotent on natural keys, every rule applied.

The steps are split by kind of record: `base` (errors, summary, create-or-update),
`document` (bodies, terms, people, memberships), `meetings` (items, attendance, minutes,
actions) and `papers` (papers and their PDF files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, connection, transaction

from meetings import lock_scope
from vru_governance.records import FORMAT
from vru_governance.records.importer.base import RecordsError, Summary
from vru_governance.records.importer.document import Importer
from vru_governance.records.schema import schema_errors

__all__ = ["Importer", "RecordsError", "Summary", "import_records", "refresh_planner_statistics"]


def import_records(data: Any, base_dir: Path | None = None) -> Summary:
    """Apply a document in one transaction; on any error raise RecordsError, writing nothing."""
    if not isinstance(data, dict):
        raise RecordsError([("(document)", "The document must be a JSON object.")])
    errors = schema_errors(data)
    if errors:
        raise RecordsError(errors)
    if data.get("format") != FORMAT:
        raise RecordsError([("format", f"Expected '{FORMAT}'.")])
    importer = Importer(base_dir)
    try:
        with transaction.atomic(), lock_scope.importing():
            importer.run(data)
            if importer.errors:
                raise RecordsError(importer.errors)
    except ValidationError as exc:
        # A locked record the import would remove (meetings/lifecycle.py).
        for name in importer.saved_files:
            default_storage.delete(name)
        raise RecordsError([("(document)", message) for message in exc.messages]) from exc
    except (IntegrityError, DataError) as exc:
        # A rule only the database checks (a record given twice, a number out of range):
        # the transaction is rolled back, and the document refused like any other.
        for name in importer.saved_files:
            default_storage.delete(name)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RecordsError(
            [("(document)", f"The database refused the records ({first}).")]
        ) from exc
    except Exception:
        for name in importer.saved_files:
            default_storage.delete(name)
        raise
    importer.summary.saved_files = list(importer.saved_files)
    refresh_planner_statistics()
    return importer.summary


def refresh_planner_statistics() -> None:
    """ANALYZE after a committed import, on PostgreSQL.

    An import can grow the tables from nothing to a decade of records at once; until
    autovacuum next analyses them, PostgreSQL plans as if they were still nearly empty (nested
    loops over every meeting: a search took 160 ms instead of 55 on the decade). Inside a
    caller's transaction nothing is committed yet, so there is nothing to analyse.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for label in IMPORTED_APPS
        for model in apps.get_app_config(label).get_models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


# The apps whose tables (records and their history) an import writes.
IMPORTED_APPS = ("members", "meetings", "actions", "reports")
