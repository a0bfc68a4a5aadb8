from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.template.loader import render_to_string

from accounts.tasks import send_password_reset_email


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "Enter the email address and password of an active Pathway account.",
        "inactive": "This account is no longer active. Ask your HR team if you need access.",
    }

    def get_invalid_login_error(self):
        if settings.PASSWORD_SIGN_IN:
            return super().get_invalid_login_error()
        return forms.ValidationError(
            "Enter the email address and password of an administrator's account. Everyone else signs in with "
            f"{settings.OIDC_PROVIDER_NAME}.",
            code="password_sign_in_off",
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, but the email is queued (`accounts.tasks`), so the page answers at once and a mail
    server that is down delays the email instead of losing it. With PASSWORD_SIGN_IN off, only superusers (the only
    ones who sign in with a password then) are sent a link."""

    def get_users(self, email):
        users = super().get_users(email)
        return users if settings.PASSWORD_SIGN_IN else (user for user in users if user.is_superuser)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        send_password_reset_email.enqueue(
            user_pk=context["user"].pk,
            to=[to_email],
            subject="".join(render_to_string(subject_template_name, context).splitlines()),
            domain=context["domain"],
            site_name=context["site_name"],
            protocol=context["protocol"],
            email_template=email_template_name,
            html_email_template=html_email_template_name or "",
        )
