"""A paper's search document kept in its row, on PostgreSQL only.

With the default storage, PostgreSQL moves a paper's document (about a kilobyte) out of the row
when the sections make the row long, so that a search read it back from the TOAST table for
every paper it matched: on the bench decade most of the time spent ranking papers (3.8 ms of
the ranking query's papers; 1.0 ms with the documents in their rows). MAIN storage moves the
sections out first and keeps the document in the row unless it alone is too long. The update
stores the documents already written again, as the new storage keeps them (a generated column
set to DEFAULT is computed again, to the same value).
"""

from django.db import migrations


def keep_in_row(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE reports_paper ALTER COLUMN search_document SET STORAGE MAIN")
    schema_editor.execute("UPDATE reports_paper SET search_document = DEFAULT")


def default_storage(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE reports_paper ALTER COLUMN search_document SET STORAGE EXTENDED"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0017_annual_report_pdf"),
    ]

    operations = [migrations.RunPython(keep_in_row, default_storage, elidable=False)]
