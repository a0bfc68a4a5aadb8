from django.contrib.auth import views as auth_views

from accounts.forms import PasswordResetForm
from accounts.throttle import forget_failed_sign_ins, take_reset_link


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a limit on links per email address and per client address (`take_reset_link`):
    over it, the same page says when to ask again (status 429), keeps the address typed and sends nothing."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        pause = take_reset_link(self.request, form.cleaned_data["email"])
        if pause is None:
            return super().form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, pause=pause), status=429)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through a reset link proves the email is yours, so it also unlocks the account."""

    def form_valid(self, form):
        forget_failed_sign_ins(self.user.email)
        return super().form_valid(form)
