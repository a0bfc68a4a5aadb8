"""A mail server for tests that is down: for the next few emails, or for good. Emails that get through land in
`django.core.mail.outbox`, as with Django's test backend."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class BrokenMailServer(EmailBackend):
    """EMAIL_BACKEND = "tests.mail_server.BrokenMailServer"; set `failures` to how many sends fail (-1: all)."""

    failures = 0
    refused = 0  # how many sends it refused, for the test to check

    def send_messages(self, messages):
        if BrokenMailServer.failures:
            BrokenMailServer.failures -= 1
            BrokenMailServer.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def break_mail_server(settings, failures: int) -> type[BrokenMailServer]:
    settings.EMAIL_BACKEND = "tests.mail_server.BrokenMailServer"
    BrokenMailServer.failures = failures
    BrokenMailServer.refused = 0
    return BrokenMailServer
