"""manage.py verify_documents finds a stored document changed or lost after publication."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from meetings.lock_scope import recording_history
from reports.models import StoredDocument
from reports.services import MINUTES_KINDS, freeze_documents
from tests.demo import load_demo


class VerifyDocumentsTests(TestCase):
    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        from meetings.models import Meeting

        load_demo()
        cls.stored = freeze_documents(Meeting.objects.get(key="2019-03-06"), MINUTES_KINDS)

    def verify(self) -> str:
        out = io.StringIO()
        call_command("verify_documents", stdout=out, stderr=out)
        return out.getvalue()

    def test_untouched_documents_pass(self) -> None:
        assert f"All {len(self.stored)} stored documents match" in self.verify()

    def test_a_changed_file_is_reported_with_both_digests(self) -> None:
        document = StoredDocument.objects.get(pk=self.stored[0].pk)
        storage, name = document.file.storage, document.file.name
        original = storage.open(name, "rb").read()
        storage.delete(name)
        storage.save(name, ContentFile(original[:-1] + b"X"))
        try:
            with pytest.raises(CommandError, match="1 of .* stored documents failed"):
                self.verify()
        finally:
            storage.delete(name)
            storage.save(name, ContentFile(original))

    def test_a_missing_file_is_reported(self) -> None:
        document = StoredDocument.objects.get(pk=self.stored[0].pk)
        storage, name = document.file.storage, document.file.name
        original = storage.open(name, "rb").read()
        storage.delete(name)
        out = io.StringIO()
        try:
            with pytest.raises(CommandError):
                call_command("verify_documents", stdout=out, stderr=out)
            assert "the file is missing" in out.getvalue()
        finally:
            storage.save(name, ContentFile(original))
