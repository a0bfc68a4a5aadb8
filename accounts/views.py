from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from accounts.forms import PasswordResetForm
from accounts.throttle import bad_reset_links_pause, forget_failed_sign_ins, record_bad_reset_link, take_reset_link


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
    """Django's "choose a new password" page. A client address that opens too many links that are not valid is
    paused before any link is checked (status 429). Choosing a new password through a reset link proves the email
    is yours, so it also unlocks the account."""

    @method_decorator(login_not_required)
    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        until = bad_reset_links_pause(request)
        if until is not None:
            context = {"validlink": False, "paused_until": until}
            return render(request, self.template_name, context, status=429)
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink and not isinstance(response, HttpResponseRedirect):
            record_bad_reset_link(request)
        return response

    def form_valid(self, form):
        forget_failed_sign_ins(self.user.email)
        return super().form_valid(form)
