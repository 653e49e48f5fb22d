from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from goldenthread.web import views

handler403 = "goldenthread.web.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("cycles/<slug:slug>/", views.cycle_detail, name="cycle"),
    path("cycles/<slug:slug>/reviews/", views.review_list, name="review_list"),
    path("cycles/<slug:slug>/reviews/new/", views.review_new, name="review_new"),
    path("cycles/<slug:slug>/import/", views.review_import, name="review_import"),
    path("cycles/<slug:slug>/cards/", views.cards, name="cards"),
    path("cycles/<slug:slug>/cards.pdf", views.cards_pdf, name="cards_pdf"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("import/template.<str:file_format>", views.import_template, name="import_template"),
    path("", include("goldenthread.web.urls_people")),
    path("workshops/", include("goldenthread.web.workshop.urls")),
    path("", include("goldenthread.web.urls_reports")),
    path("providers/", include("goldenthread.providers.urls")),
    path("admin/", admin.site.urls),
]
