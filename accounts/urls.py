from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import (
    CompanySignInStart,
    PasswordResetConfirmView,
    PasswordResetView,
    SignInView,
    SignOutView,
    company_sign_in_callback,
)

urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="login"),
    # Company sign-in (OpenID Connect): the callback is the redirect URL registered with the provider.
    path("sign-in/oidc/", CompanySignInStart.as_view(), name="oidc_sign_in"),
    path("sign-in/oidc/callback/", company_sign_in_callback, name="oidc_callback"),
    path("sign-out/", SignOutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
