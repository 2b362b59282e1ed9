"""What every part of make bench shares: where it writes, which Python it runs, its log lines.

bench/run_bench.py runs as a script, so its folder is first on sys.path and these bench_*
modules beside it are imported by their plain names.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
LOGS = OUT / "logs"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
FORWARDED = {"X-Forwarded-Proto": "https"}  # as from the TLS proxy in front of production


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
