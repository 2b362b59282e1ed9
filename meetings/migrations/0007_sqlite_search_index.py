"""FTS5 indexes of agenda items and minute paragraphs, on SQLite only (PostgreSQL keeps its
stored documents, meetings/migrations/0005).

Each is an external-content FTS5 table (the text stays in the table; the index holds its
words, Porter-stemmed) kept in step by triggers, so every write path keeps it current.
reports/search_index.py says why and repairs them after a migration rebuilds a table;
reports/migrations/0007 indexes papers.
"""

from django.db import migrations

TOKENIZE = "porter unicode61 remove_diacritics 0"
INDEXES = {
    "meetings_agendaitem_fts": ("meetings_agendaitem", ["title", "presenter"]),
    "meetings_minuteparagraph_fts": ("meetings_minuteparagraph", ["text"]),
}


def _create_sql(name: str, table: str, names: list[str]) -> list[str]:
    columns = ", ".join(names)
    new = ", ".join(f"new.{c}" for c in names)
    old = ", ".join(f"old.{c}" for c in names)
    insert = f"INSERT INTO {name}(rowid, {columns}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {name}({name}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {name} USING fts5({columns}, content='{table}', "
        f"content_rowid='id', tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
    ]


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, (table, names) in INDEXES.items():
        for statement in _create_sql(name, table, names):
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in INDEXES:
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_forward_plan_item_version"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
