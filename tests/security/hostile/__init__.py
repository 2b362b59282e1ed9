"""Helpers of the hostile input tests (tests/security/test_hostile_*.py and
tests/records/test_hostile_import.py): the payloads and the checks that output is inert, the
world they are typed into, and PDFs that carry something hostile."""
