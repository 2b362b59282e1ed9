"""The text of each uploaded paper's PDF, for search: a field, filled for the papers already
uploaded (a missing or unreadable file leaves it empty). New files take their text when they
are stored (reports/paper_text.py)."""

from django.db import migrations, models

from reports.paper_text import extract_pdf_text


def extract_existing(apps, schema_editor) -> None:
    Paper = apps.get_model("reports", "Paper")
    for paper in Paper.objects.using(schema_editor.connection.alias).exclude(file=""):
        try:
            with paper.file.storage.open(paper.file.name, "rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            continue  # the file is missing: nothing to search
        # update(): no signals, so the published-record locks (meetings/lifecycle.py), which
        # guard what documents show, do not judge a text no document shows.
        Paper.objects.using(schema_editor.connection.alias).filter(pk=paper.pk).update(
            file_text=extract_pdf_text(data)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_stored_paper_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="paper",
            name="file_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The uploaded PDF's text, extracted for search.",
            ),
        ),
        migrations.RunPython(extract_existing, migrations.RunPython.noop, elidable=True),
    ]
