"""Pictures of document pages for docs/images/, rendered from the demo records.

Run from the project folder: `.venv/bin/python scripts/document_pictures.py`. It migrates a
throwaway SQLite database in a temporary folder, loads the demo, renders the documents and
rasterises the pages named below at 60 dpi with `pdftoppm` (Debian's poppler-utils: a tool
for this script only, never a dependency of the site).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"

# picture name -> (document, page number)
PICTURES = {
    "paper-closing-the-gaps": ("paper closing-the-gaps", 1),
    "paper-vru-delivery-model": ("paper vru-delivery-model", 1),
    "actions-arising-2019-05-01": ("actions arising", 1),
    "chairs-brief-2019-05-01": ("chair's brief", 1),
    "pack-2019-05-01-padding-page": ("pack", 0),  # 0: the pack's first padding page
}
BLANK = "This page is intentionally left blank"


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: apt-get install poppler-utils", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="vru-pictures-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "vru_governance.settings",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "VAR_DIR": str(work),
            "DEBUG": "true",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from meetings.models import Meeting
    from reports.documents.actions_arising import render_actions_arising
    from reports.documents.chair_brief import render_chair_brief
    from reports.documents.pack import build_pack
    from reports.documents.paper_files import render_paper_files
    from reports.documents.workers import Pool
    from reports.models import Paper

    call_command("migrate", verbosity=0)
    call_command("load_demo", str(ROOT / "docs" / "demo-records.json"), "--no-documents")
    may = Meeting.objects.get(key="2019-05-01")
    documents = {
        "actions arising": render_actions_arising(may).pdf,
        "chair's brief": render_chair_brief(may).pdf,
    }
    with Pool(2) as pool:
        pack = build_pack(may, pool=pool, with_agenda=False).pack
        assert pack is not None
        documents["pack"] = pack.pdf
        papers = list(Paper.objects.filter(item__meeting=may).select_related("item"))
        rendered = render_paper_files(may, papers, pool=pool)
        documents.update({f"paper {p.key}": rendered[p.pk].pdf for p in papers})
    for picture, (document, page) in PICTURES.items():
        pdf = work / "document.pdf"
        pdf.write_bytes(documents[document])
        if page == 0:
            reader = PdfReader(str(pdf))
            page = next(i for i, p in enumerate(reader.pages, 1) if BLANK in p.extract_text())
        command = ["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-png"]
        subprocess.run([*command, "-singlefile", str(pdf), str(IMAGES / picture)], check=True)
        print(f"docs/images/{picture}.png: {document}, page {page}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
