"""WSGI entry point, e.g. for gunicorn: ``gunicorn kolregistry.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolregistry.settings")

application = get_wsgi_application()
