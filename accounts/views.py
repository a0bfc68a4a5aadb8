import logging

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts import oidc
from accounts.forms import EmailAuthenticationForm, PasswordResetForm
from accounts.throttle import bad_reset_links_pause, forget_failed_sign_ins, record_bad_reset_link, take_reset_link

logger = logging.getLogger(__name__)


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


# Company sign-in (OpenID Connect; accounts/oidc.py) ------------------------------------------------------------

ID_TOKEN_KEY = "pathway_oidc_id_token"  # kept in the session for the provider's sign-out
END_SESSION_KEY = "pathway_oidc_end_session"  # the provider's end-session endpoint, from its discovery document
PROVIDER_SIGN_OUT_KEY = "pathway_provider_sign_out"  # set after signing out of Pathway, read by the sign-in page


def sign_in_page_context(request, *, password_form: bool = False) -> dict:
    """What the sign-in page shows besides the form: the provider's button, whether the password form is shown
    (always when the password sign-in is on, else only when asked for: superusers), the provider's sign-out."""
    company = oidc.is_enabled()
    asked = password_form or request.method == "POST" or request.GET.get("with") == "password"
    return {
        "company_sign_in": company,
        "provider_name": settings.OIDC_PROVIDER_NAME,
        "hide_password_form": company and not settings.PASSWORD_SIGN_IN and not asked,
        "password_sign_in": settings.PASSWORD_SIGN_IN or not company,
        "provider_sign_out": request.session.pop(PROVIDER_SIGN_OUT_KEY, None) if request.method == "GET" else None,
    }


class SignInView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if oidc.is_enabled() and self.request.GET.get("with") != "password":
            # The provider's button comes first: focus must not jump past it to the email field.
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sign_in_page_context(self.request)}


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; after a company sign-in, the sign-in page then offers the provider's sign-out too."""

    def post(self, request, *args, **kwargs):
        id_token, endpoint = request.session.get(ID_TOKEN_KEY), request.session.get(END_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        url = oidc.end_session_url(endpoint, id_token, request.build_absolute_uri(reverse("login")))
        if url:
            request.session[PROVIDER_SIGN_OUT_KEY] = url
        return response


def company_sign_in_problem(request, reason: str, status: int, email: str = ""):
    context = {"reason": reason, "email": email, "provider_name": settings.OIDC_PROVIDER_NAME}
    return render(request, "registration/company_sign_in_problem.html", context, status=status)


@method_decorator(login_not_required, name="dispatch")
class CompanySignInStart(OIDCAuthenticationRequestView):
    """ "Sign in with …": mozilla-django-oidc sends the browser to the provider with a new state, nonce and PKCE
    challenge (kept in the session), the provider's address read from its (cached) discovery document."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not oidc.is_enabled():
            raise Http404("Company sign-in is not set up.")
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider()["authorization_endpoint"]
        except oidc.ProviderUnavailable:
            return company_sign_in_problem(request, "unavailable", 503)
        return super().get(request)


def _take_state(request) -> dict | None:
    """The nonce and PKCE verifier kept for the state the provider sent back, removed so it works once only."""
    states = request.session.get("oidc_states")
    state = request.GET.get("state", "")
    if not isinstance(states, dict) or not state or state not in states:
        return None
    kept = states.pop(state)
    request.session.modified = True
    return kept


@login_not_required
@require_GET
@never_cache
def company_sign_in_callback(request):
    """Where the provider sends the browser back: check the state, exchange the code, check the ID token and who
    it is, then sign in (or say clearly why not)."""
    if not oidc.is_enabled():
        raise Http404("Company sign-in is not set up.")
    kept = _take_state(request)
    if request.GET.get("error"):
        return company_sign_in_problem(request, "provider_said_no", 403)
    if kept is None or not request.GET.get("code"):
        return company_sign_in_problem(request, "expired", 400)
    backend = oidc.CompanySignIn()
    try:
        user = backend.authenticate(request, nonce=kept.get("nonce"), code_verifier=kept.get("code_verifier"))
    except oidc.SignInRefused as refused:
        return company_sign_in_problem(request, refused.reason, 403, refused.email)
    except requests.HTTPError as error:
        # The provider refused the code (4xx: used, expired, PKCE mismatch), or is failing (5xx).
        if error.response is not None and error.response.status_code < 500:
            logger.warning("Company sign-in: the provider refused the code: %s", error)
            return company_sign_in_problem(request, "failed", 400)
        return company_sign_in_problem(request, "unavailable", 503)
    except (oidc.ProviderUnavailable, requests.RequestException):
        return company_sign_in_problem(request, "unavailable", 503)
    except SuspiciousOperation as error:
        logger.warning("Company sign-in refused: %s", error)
        return company_sign_in_problem(request, "failed", 400)
    if user is None:
        return company_sign_in_problem(request, "failed", 400)
    next_url = request.session.pop("oidc_login_next", None)
    auth.login(request, user, backend="accounts.oidc.CompanySignIn")
    request.session[ID_TOKEN_KEY] = backend.id_token
    request.session[END_SESSION_KEY] = backend.end_session_endpoint
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)
