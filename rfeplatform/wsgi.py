"""WSGI entry point (HTTP only), for gunicorn in production; WebSockets need the ASGI app."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rfeplatform.settings")

application = get_wsgi_application()
