"""The document benchmarks of make bench (manage.py bench_documents): cases, figures, LibreOffice.

`cases` makes and renders the documents, `pack54` measures the agenda-pack goals,
`libreoffice` converts the same HTML for comparison and `measure` holds the figures.
"""
