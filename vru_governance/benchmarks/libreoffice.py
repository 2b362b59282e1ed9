"""LibreOffice converting the same HTML to PDF, where it is installed: the bench's yardstick."""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from vru_governance.benchmarks.measure import cpu_seconds, rss_mib, sample_figures


def convert_documents(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """LibreOffice converting the HTML each demo document left behind; the folders removed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    folders = [d.pop("html_folder") for d in documents if "html_folder" in d]
    if soffice is None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return {"available": False}
    version = subprocess.run(
        [soffice, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    results = []
    for folder in map(Path, folders):
        files = sorted(folder.glob("*.html"))
        case = files[0].name.rsplit("-", 1)[0]
        outdir = folder / "pdf"
        profile = folder / "profile"
        started = time.perf_counter()
        soffice_to_pdf(soffice, profile, outdir, [str(f) for f in files])
        seconds = time.perf_counter() - started
        pages = 0
        from pypdf import PdfReader

        for pdf in outdir.glob("*.pdf"):
            pages += len(PdfReader(pdf).pages)
        results.append(
            {
                "name": case,
                "seconds": round(seconds, 2),
                "pages": pages,
                "peak_rss_mib_largest_child_so_far": rss_mib(resource.RUSAGE_CHILDREN),
                "note": "same HTML; LibreOffice ignores most of the print CSS "
                "(page-margin boxes, right-hand starts, running headers)",
            }
        )
        shutil.rmtree(folder, ignore_errors=True)
    return {"available": True, "version": version, "documents": results}


def soffice_to_pdf(soffice: str, profile: Path, outdir: Path, sources: list[str]) -> None:
    """LibreOffice converting HTML files to PDF in outdir, with its own profile folder."""
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf:writer_web_pdf_Export",
            "--outdir",
            str(outdir),
            *sources,
        ],
        capture_output=True,
        check=False,
    )


class LibreOffice:
    """LibreOffice converting the same HTML pieces to PDF, its profile made beforehand."""

    def __init__(self, pieces: list[str]) -> None:
        self.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        self.folder = Path(tempfile.mkdtemp(prefix="bench-lo-"))
        self.files = []
        for index, text in enumerate(pieces):
            path = self.folder / f"piece-{index:02d}.html"
            path.write_text(text, encoding="utf-8")
            self.files.append(str(path))
        self.runs = 0
        if self.soffice:
            warm = self.folder / "warm.html"
            warm.write_text("<p>warm-up</p>", encoding="utf-8")
            self._run([str(warm)], self.folder / "warm")  # makes the profile; not timed

    def _run(self, sources: list[str], outdir: Path) -> None:
        assert self.soffice is not None
        soffice_to_pdf(self.soffice, self.folder / "profile", outdir, sources)

    def convert(self) -> tuple[float, float] | None:
        if self.soffice is None:
            return None
        started, cpu = time.perf_counter(), cpu_seconds()
        self._run(self.files, self.folder / f"pdf-{self.runs}")
        self.runs += 1
        return time.perf_counter() - started, cpu_seconds() - cpu

    def report(self, samples: list) -> dict[str, Any]:
        from pypdf import PdfReader

        if self.soffice is None:
            return {"available": False, "install": "apt-get install -y libreoffice-writer-nogui"}
        outputs = sorted((self.folder / "pdf-0").glob("*.pdf"))
        version = subprocess.run(
            [self.soffice, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        return {
            "available": True,
            "version": version,
            "pieces": len(self.files),
            "pdfs": len(outputs),
            "pages": sum(len(PdfReader(pdf).pages) for pdf in outputs),
            "seconds": round(min(samples)[0], 2),
            "runs": sample_figures(samples),
            "peak_rss_mib_largest_child": rss_mib(resource.RUSAGE_CHILDREN),
            "note": "one soffice --headless --convert-to pdf over the same HTML pieces (the "
            "parts and the agenda); LibreOffice ignores most of the print CSS (page-margin "
            "boxes, right-hand starts, running headers), so its page count differs",
        }

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
