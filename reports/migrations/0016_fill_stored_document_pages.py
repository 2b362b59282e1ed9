"""Fill the page count of documents frozen before it was recorded (reports/page_counts.py)."""

from django.db import migrations

from reports.page_counts import fill_missing_page_counts


def fill(apps, schema_editor):
    fill_missing_page_counts(apps.get_model("reports", "StoredDocument"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0015_stored_document_facts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
