"""Root URLs: each app brings its own; the project adds sign-in (goldenthread.accounts), admin and the error pages."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from goldenthread.web import health
from goldenthread.accounts.views import SignInView

handler403 = "goldenthread.web.views.permission_denied"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # alive (no database): for probes, without sign-in
    path("readyz", health.readyz, name="readyz"),  # database, channel layer and migrations ready
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("goldenthread.accounts.urls")),  # council sign-in (/oidc/) and password reset
    path("", include("goldenthread.reviews.urls")),
    path("", include("goldenthread.reviews.urls_person_reviews")),
    path("", include("goldenthread.planning.urls")),
    path("workshops/", include("goldenthread.workshops.urls")),
    path("", include("goldenthread.programme.urls")),
    path("", include("goldenthread.reporting.urls")),
    path("", include("goldenthread.outcomes.urls")),
    path("", include("goldenthread.market.urls")),
    path("", include("goldenthread.tenders.urls")),
    path("", include("goldenthread.batch.urls")),
    path("api/v1/", include("goldenthread.api.urls")),
    path("providers/", include("goldenthread.providers.urls")),
    path("", include("goldenthread.core.urls")),
    path("admin/", admin.site.urls),
]
