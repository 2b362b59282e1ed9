"""Helpers of the hostile input tests (tests/test_hostile_*.py): the payloads and the checks
that output is inert, the world they are typed into, and PDFs that carry something hostile."""
