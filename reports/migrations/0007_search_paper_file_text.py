"""Papers searched by their uploaded PDF's text too, on both databases.

PostgreSQL: the paper's stored search document (reports/migrations/0004) gains `file_text`,
weighted C like the body of an authored paper. A generated column cannot be altered, so it is
dropped and added again, with its GIN index. The megabyte to_tsvector allows is kept as
before: a paper of more than THRESHOLD bytes of text has only the start of each part indexed
(TRUNCATED characters of the title and each section, FILE_TRUNCATED of the PDF's text; a paper
is written by section or uploaded, never both).

SQLite: the FTS5 index of papers, kept by triggers (reports/search_index.py says why and how;
meetings/migrations/0007 indexes agenda items and minutes).
"""

from django.db import migrations

THRESHOLD = 300_000  # bytes of text: a document of at most about 2.75 bytes for each of them
SECTIONS = [
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
# At most 4 bytes a character: 10 x 3,500 + 35,000 characters stay under 300,000 bytes.
TRUNCATED = 3_500
FILE_TRUNCATED = 35_000


def _postgres_document(parts: list[tuple[str, str, int]]) -> str:
    def document(limited: bool) -> str:
        vectors = []
        for column, weight, limit in parts:
            text = f"COALESCE({column}, '')"
            if limited:
                text = f"left({text}, {limit})"
            vectors.append(f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')")
        return " || ".join(vectors)

    size = " + ".join(f"octet_length(COALESCE({column}, ''))" for column, _, _ in parts)
    return f"CASE WHEN {size} <= {THRESHOLD} THEN {document(False)} ELSE {document(True)} END"


WITH_FILE_TEXT = _postgres_document(
    [(c, w, TRUNCATED) for c, w in SECTIONS] + [("file_text", "C", FILE_TRUNCATED)]
)
WITHOUT_FILE_TEXT = _postgres_document([(c, w, 7_000) for c, w in SECTIONS])  # as in 0004

FTS = "reports_paper_fts"
FTS_COLUMNS = [column for column, _ in SECTIONS] + ["file_text"]


def _replace_document(schema_editor, document: str) -> None:
    schema_editor.execute("ALTER TABLE reports_paper DROP COLUMN search_document")
    schema_editor.execute(
        "ALTER TABLE reports_paper ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({document}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX reports_paper_search_document_gin ON reports_paper "
        "USING gin (search_document)"
    )


def _fts_sql() -> list[str]:
    columns = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    insert = f"INSERT INTO {FTS}(rowid, {columns}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {FTS}({FTS}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({columns}, content='reports_paper', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON reports_paper BEGIN {insert} END",
        f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON reports_paper BEGIN {delete} END",
        f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF {columns} ON reports_paper "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ]


def forwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _replace_document(schema_editor, WITH_FILE_TEXT)
    elif vendor == "sqlite":
        for statement in _fts_sql():
            schema_editor.execute(statement)


def backwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _replace_document(schema_editor, WITHOUT_FILE_TEXT)
    elif vendor == "sqlite":
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_paper_file_text"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
