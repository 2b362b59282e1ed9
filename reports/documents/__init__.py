"""Rendered documents: agenda, agenda pack, summary minutes, actions arising, papers (PDF)."""
