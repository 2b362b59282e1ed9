"""The permission matrix (permissions_matrix.py) of board A's workspace: its pages, forms
and POST actions, each asked by the public (sent to sign in), a partner of board A (403), a
partner of board B (404) and board A's secretary, whose valid POSTs must change the records
while everyone else's change nothing. The matrix's own checks are in test_permissions.py.
"""

from __future__ import annotations

from django.test import TestCase

from tests.security.permissions_matrix import PermissionMatrix, add_row_tests


class PermissionMatrixTests(PermissionMatrix, TestCase):
    """One test per workspace row of MATRIX (added below the class)."""


add_row_tests(PermissionMatrixTests, "workspace")
