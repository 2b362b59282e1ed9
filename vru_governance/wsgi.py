"""WSGI entry point (gunicorn vru_governance.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vru_governance.settings")
application = get_wsgi_application()

# Compile the templates now, not in each worker's first requests (vru_governance/warmup.py).
from vru_governance.warmup import warm_up  # noqa: E402 — needs the apps loaded above

warm_up()

# This process's render workers (a publication in the job thread, a draft or the chair's brief
# on request) come from a fork server, with only WeasyPrint loaded: forked from this process
# they would start with all of it. Started now, not by the first render
# (reports/documents/workers.py).
from reports.documents.workers import start_fork_server  # noqa: E402

start_fork_server()

# What is loaded by now (Django, the apps, the compiled templates) lives as long as the worker:
# keep it out of the garbage collector's full passes, which otherwise walk every one of those
# objects (70-100 ms with the app loaded) in the middle of whichever request triggers them.
gc.freeze()
