"""The SQLite full-text index of the public search: an FTS5 table beside each searched table.

PostgreSQL keeps each row's search document in a generated column (meetings/migrations/0005,
reports/migrations/0007). On SQLite each searched table has an external-content FTS5 table
(the text stays in the table; the index holds the words, stemmed by the Porter stemmer) kept
in step by triggers, so every write path (workspace, admin, importer, bulk inserts, updates
by query) keeps it current. Created by migrations (meetings/0007, reports/0007).

Django rebuilds a SQLite table to alter it (a later migration adding a column, say), and the
rebuilt table has no triggers: `ensure`, run after every migrate, puts back what is missing
and rebuilds that index from its table, so the index can never silently fall behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# The tokenizer PostgreSQL's English configuration is closest to: Porter stems, accents kept.
TOKENIZE = "porter unicode61 remove_diacritics 0"


@dataclass(frozen=True)
class Index:
    """An FTS5 table over some text columns of a table, with each column's weight for bm25
    (PostgreSQL's weights: A 1.0, B 0.4, C 0.2, times ten)."""

    name: str
    table: str
    columns: tuple[tuple[str, float], ...]

    @property
    def names(self) -> list[str]:
        return [column for column, _ in self.columns]

    @property
    def weights(self) -> str:
        return ", ".join(str(weight) for _, weight in self.columns)

    @property
    def triggers(self) -> list[str]:
        return [f"{self.name}_insert", f"{self.name}_delete", f"{self.name}_update"]


A, B, C = 10.0, 4.0, 2.0
ITEMS = Index("meetings_agendaitem_fts", "meetings_agendaitem", (("title", A), ("presenter", B)))
PARAGRAPHS = Index("meetings_minuteparagraph_fts", "meetings_minuteparagraph", (("text", B),))
PAPERS = Index(
    "reports_paper_fts",
    "reports_paper",
    (
        ("title", A),
        ("executive_summary", B),
        ("recommendations", B),
        ("introduction", C),
        ("issues", C),
        ("equality_comments", C),
        ("financial_comments", C),
        ("legal_comments", C),
        ("next_steps", C),
        ("appendices", C),
        ("file_text", C),
    ),
)
INDEXES = {"item": ITEMS, "minutes": PARAGRAPHS, "paper": PAPERS}


def create_sql(index: Index) -> list[str]:
    """The statements that create the index and its triggers and fill it from the table."""
    name, table = index.name, index.table
    columns = ", ".join(index.names)
    new = ", ".join(f"new.{c}" for c in index.names)
    old = ", ".join(f"old.{c}" for c in index.names)
    # Reviewed: every name in these statements is a constant of INDEXES, never input.
    insert = f"INSERT INTO {name}(rowid, {columns}) VALUES (new.id, {new});"  # nosec B608
    delete = f"INSERT INTO {name}({name}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # nosec B608
    return [
        f"CREATE VIRTUAL TABLE {name} USING fts5({columns}, content='{table}', "
        f"content_rowid='id', tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",  # nosec B608
    ]


def drop_sql(index: Index) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}" for t in index.triggers] + [
        f"DROP TABLE IF EXISTS {index.name}"
    ]


def ensure(connection: BaseDatabaseWrapper) -> list[str]:
    """Create or repair each index whose table exists (SQLite only); the names of those made."""
    if connection.vendor != "sqlite":
        return []
    made = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {name for (name,) in cursor.fetchall()}
        for index in INDEXES.values():
            if index.table not in existing:
                continue  # its app is not migrated yet
            cursor.execute(f"SELECT name FROM pragma_table_info('{index.table}')")  # nosec B608
            if not set(index.names) <= {name for (name,) in cursor.fetchall()}:
                continue  # a column it indexes is added by a later migration
            indexed: list[str] = []
            if index.name in existing:
                cursor.execute(f"SELECT name FROM pragma_table_info('{index.name}') ORDER BY cid")  # nosec B608
                indexed = [name for (name,) in cursor.fetchall()]
            if indexed == index.names and set(index.triggers) <= existing:
                continue
            for statement in drop_sql(index) + create_sql(index):
                cursor.execute(statement)
            made.append(index.name)
    if made:
        logger.info("Full-text index rebuilt: %s", ", ".join(made))
    return made


def ensure_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: a table rebuilt by a migration loses its triggers (see above)."""
    from django.db import connections

    ensure(connections[using])
