"""Stored search documents for agenda items and minute paragraphs, on PostgreSQL only.

meetings/search ranked every search by computing each row's tsvector on the fly: seconds
per query over a decade of minutes. Each table gets a generated column holding the same
weighted document the search used to compute (so ranks are unchanged) and a GIN index on it;
PostgreSQL keeps the column current on every insert and update, however the row is written.

The column is not a model field: Django never reads or writes it, and SQLite (which searches
with icontains) has no such column. to_tsvector refuses a document of more than a megabyte,
and a row whose document it refused could not be saved at all: a paragraph of more than
THRESHOLD bytes (far beyond any minutes) has only its first TRUNCATED characters in its
document. Titles and presenters are short columns already.
"""

from django.db import migrations

THRESHOLD = 300_000  # bytes of text: a document of at most about 2.75 bytes for each of them
TRUNCATED = 70_000  # characters, at most four bytes each: under the megabyte too

ITEM_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(presenter, '')), 'B')"
)
PARAGRAPH_DOCUMENT = (
    f"CASE WHEN octet_length(COALESCE(text, '')) <= {THRESHOLD}"
    " THEN setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'B')"
    f" ELSE setweight(to_tsvector('english'::regconfig, left(COALESCE(text, ''), {TRUNCATED})),"
    " 'B') END"
)
TABLES = {
    "meetings_agendaitem": ITEM_DOCUMENT,
    "meetings_minuteparagraph": PARAGRAPH_DOCUMENT,
}


def add_documents(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, document in TABLES.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_document_gin ON {table} USING gin (search_document)"
        )


def drop_documents(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_attendance_and_paragraph_versions"),
    ]

    operations = [migrations.RunPython(add_documents, drop_documents, elidable=False)]
