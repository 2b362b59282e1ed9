"""The accessibility check of each uploaded paper's PDF: a field, filled for the papers already
uploaded. New files are checked when they are stored (reports/paper_text.py)."""

from django.db import migrations, models

from reports.pdf_accessibility import UNREADABLE, check_pdf_accessibility


def check_existing(apps, schema_editor) -> None:
    Paper = apps.get_model("reports", "Paper")
    papers = Paper.objects.using(schema_editor.connection.alias)
    for paper in papers.exclude(file=""):
        try:
            with paper.file.storage.open(paper.file.name, "rb") as handle:
                failures = check_pdf_accessibility(handle.read())
        except (OSError, ValueError):
            failures = [UNREADABLE]
        # update(): no signals, so the published-record locks do not judge a derived field.
        papers.filter(pk=paper.pk).update(file_accessibility_failures=failures)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0012_stored_document_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="paper",
            name="file_accessibility_failures",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text=(
                    "What the uploaded PDF lacks for accessibility (reports/pdf_accessibility.py)."
                ),
            ),
        ),
        migrations.RunPython(check_existing, migrations.RunPython.noop, elidable=True),
    ]
