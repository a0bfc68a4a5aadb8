"""The password-reset email, sent by a worker and retried like every email (`pathway.mail`).

The reset link is made when the task runs, from the user's id: a usable link never sits in the queue, where
the admin's task results would show it to HR.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import TaskContext, task

from accounts.models import User
from pathway.mail import send_with_retries


@task(takes_context=True)
def send_password_reset_email(
    context: TaskContext,
    *,
    user_pk: int,
    to: list[str],
    subject: str,
    domain: str,
    site_name: str,
    protocol: str,
    email_template: str,
    html_email_template: str = "",
    attempt: int = 1,
):
    """Email `to` a link to choose a new password, if the account is still active."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return "Not sent: the account is gone or inactive"
    page = {
        "email": to[0],
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    message = EmailMultiAlternatives(subject, render_to_string(email_template, page), None, to)
    if html_email_template:
        message.attach_alternative(render_to_string(html_email_template, page), "text/html")
    return send_with_retries(context, message, attempt=attempt)
