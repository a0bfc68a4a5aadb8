"""gunicorn settings for `make serve` and production: `gunicorn -c pathway/gunicorn.conf.py pathway.wsgi:application`.

The one place for the web server's settings (command-line options override them).
"""

import os

import gunicorn.http.wsgi

# gunicorn names itself and its version in a Server header on every response; say nothing about the software.
gunicorn.http.wsgi.SERVER = "Pathway"
gunicorn.http.wsgi.SERVER_SOFTWARE = "Pathway"

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Seconds a request may take before its worker is restarted. The slowest request Pathway allows is a people CSV
# import at its cap of 10,000 people (assessments/people/csvfile.py, MAX_PEOPLE): 17-19 s on PostgreSQL on the shared
# 2-core machine at a load average of 10 (bench/README.md), and 3,000 people 4-8 s. 60 s leaves that room to
# triple on a slow day without letting a stuck request hold one of the few workers for minutes.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
accesslog = "-"
