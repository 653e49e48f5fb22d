"""Signing in: the council account (OpenID Connect), the sign-in problem page and password reset by e-mail."""
from django.urls import path

from goldenthread.accounts import views

urlpatterns = [
    path("oidc/authenticate/", views.council_start, name="oidc_authentication_init"),
    path("oidc/callback/", views.council_return, name="oidc_authentication_callback"),
    path("accounts/council-sign-in/problem/", views.council_sign_in_failed, name="council_sign_in_failed"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
