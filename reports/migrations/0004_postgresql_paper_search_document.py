"""A stored search document for papers, on PostgreSQL only (see
meetings/migrations/0005_postgresql_search_documents.py for why).

The document weighs the title A, the executive summary and recommendations B and the other
sections C, in the order meetings/search has always ranked them. A paper of more than
THRESHOLD bytes of text (far beyond any paper) has only the first TRUNCATED characters of
each section in its document, so that to_tsvector's megabyte is never passed and every paper
can still be saved.
"""

from django.db import migrations

THRESHOLD = 300_000  # bytes of text: a document of at most about 2.75 bytes for each of them
TRUNCATED = 7_000  # characters of each of ten parts, at most four bytes each
PARTS = [
    ("title", "A"),
    ("executive_summary", "B"),
    ("recommendations", "B"),
    ("introduction", "C"),
    ("issues", "C"),
    ("equality_comments", "C"),
    ("financial_comments", "C"),
    ("legal_comments", "C"),
    ("next_steps", "C"),
    ("appendices", "C"),
]


def _document(limit: int | None) -> str:
    parts = []
    for column, weight in PARTS:
        text = f"COALESCE({column}, '')"
        if limit is not None:
            text = f"left({text}, {limit})"
        parts.append(f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


SIZE = " + ".join(f"octet_length(COALESCE({column}, ''))" for column, _ in PARTS)
DOCUMENT = f"CASE WHEN {SIZE} <= {THRESHOLD} THEN {_document(None)} ELSE {_document(TRUNCATED)} END"


def add_document(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE reports_paper ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX reports_paper_search_document_gin ON reports_paper "
        "USING gin (search_document)"
    )


def drop_document(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE reports_paper DROP COLUMN search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_paper_version"),
    ]

    operations = [migrations.RunPython(add_document, drop_document, elidable=False)]
