"""The PDFs: agenda, packs, papers, minutes, actions arising, and their storage."""
