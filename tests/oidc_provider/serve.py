"""Run the test OpenID Connect provider: `python -m tests.oidc_provider.serve` prints one JSON line (its issuer,
the registered clients) once it answers, then serves on 127.0.0.1 until it is stopped."""

import json
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def set_up() -> dict:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.oidc_provider import people as claims

    call_command("migrate", run_syncdb=True, verbosity=0)
    for username, made in claims.PEOPLE.items():
        User.objects.create_user(username, email=made["email"], password=claims.PASSWORD)
    for client_id, secret in ((claims.CLIENT_ID, claims.CLIENT_SECRET), (claims.OTHER_CLIENT_ID, "other-secret")):
        Application.objects.create(
            name=client_id,
            client_id=client_id,
            client_secret=secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
            # The test client's host, and Pathway's live server on any port (loopback: RFC 8252).
            redirect_uris="http://testserver/accounts/sign-in/oidc/callback/ "
            "http://localhost/accounts/sign-in/oidc/callback/",
            post_logout_redirect_uris="http://testserver/accounts/sign-in/ http://localhost/accounts/sign-in/",
        )
    from django.conf import settings

    return {"issuer": settings.OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"], "url": os.environ["OIDC_TEST_PROVIDER_URL"]}


def main():
    server = make_server("127.0.0.1", 0, lambda environ, start_response: [], handler_class=QuietHandler)
    os.environ["OIDC_TEST_PROVIDER_URL"] = f"http://127.0.0.1:{server.server_port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    ready = set_up()
    server.set_app(get_wsgi_application())
    print(json.dumps(ready), flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
