"""The permission matrix (permissions_matrix.py) outside the workspace: accounts and the
public site, feeds and open data, the partners' portal and documents, each row asked by the
public, a partner of board A, a partner of board B and board A's secretary; and the checks of
the matrix itself, which cover the workspace's rows (test_permissions_workspace.py) too.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import get_resolver, resolve

from tests.jobs import run_jobs
from tests.public_world import NEVER_PUBLIC
from tests.security.permissions_matrix import (
    MATRIX,
    PermissionMatrix,
    add_row_tests,
    matrix_rows,
    row_test_names,
    text_of,
    url_names,
)


class PermissionMatrixTests(PermissionMatrix, TestCase):
    """One test per row of these areas (added below the class), and the checks of MATRIX."""

    def test_every_url_of_the_product_has_a_row(self) -> None:
        named = set(url_names(get_resolver().url_patterns))
        covered = {row.name for _, _, row, _ in matrix_rows()}
        assert sorted(named - covered) == [], "add rows to MATRIX for these URLs"
        assert sorted(covered - named) == [], "these names no longer exist"

    def test_each_row_names_the_url_it_requests(self) -> None:
        values = self.placeholders()
        wrong = [
            (row.url, row.name, resolve(row.url.format(**values).split("?")[0]).view_name)
            for _, _, row, _ in matrix_rows()
            if resolve(row.url.format(**values).split("?")[0]).view_name != row.name
        ]
        assert wrong == []

    def test_every_row_is_a_test(self) -> None:
        tests = row_test_names()
        assert len(tests) == len(set(tests)) == len(MATRIX)

    def test_the_public_actions_arising_report_leaves_out_actions_from_unpublished_minutes(
        self,
    ) -> None:
        url = f"/prg/meetings/{self.world.upcoming.key}/actions-arising.pdf"
        with run_jobs():  # never frozen: the job the first request asks for freezes it
            assert self.client.get(url).status_code == 202
        response = self.client.get(url)
        assert response.status_code == 200
        received = text_of(response)
        assert [s for s in NEVER_PUBLIC if s in received] == []


add_row_tests(PermissionMatrixTests, "public", "feeds and open data", "partners", "documents")
