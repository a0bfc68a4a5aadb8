"""gunicorn settings for `make serve` and production: `gunicorn -c pathway/gunicorn.conf.py pathway.wsgi:application`.

The one place for the web server's settings (command-line options override them).
"""

import os

import gunicorn.http.wsgi

# gunicorn names itself and its version in a Server header on every response; say nothing about the software.
gunicorn.http.wsgi.SERVER = "Pathway"
gunicorn.http.wsgi.SERVER_SOFTWARE = "Pathway"

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Seconds a request may take before its worker is restarted: above the slowest page a large organisation has
# (a people import of thousands of rows), below what a person would wait for.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
accesslog = "-"
