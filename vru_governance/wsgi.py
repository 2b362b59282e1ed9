"""WSGI entry point (gunicorn vru_governance.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vru_governance.settings")
application = get_wsgi_application()
