"""URLs for cycles, reviews, review import and cards."""
from django.urls import path

from goldenthread.reviews import views, views_corrections

urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("cycles/<slug:slug>/", views.cycle_detail, name="cycle"),
    path("cycles/<slug:slug>/reviews/", views.review_list, name="review_list"),
    path("cycles/<slug:slug>/reviews/new/", views.review_new, name="review_new"),
    path("cycles/<slug:slug>/import/", views.review_import, name="review_import"),
    path("cycles/<slug:slug>/cards/", views.cards, name="cards"),
    path("cycles/<slug:slug>/cards/check/<int:pk>/", views.card_check, name="card_check"),
    path("cycles/<slug:slug>/cards.pdf", views.cards_pdf, name="cards_pdf"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/correct/", views_corrections.correct_details, name="review_correct"),
    path("reviews/<int:pk>/statements/<int:statement_pk>/correct/", views_corrections.correct_statement,
         name="statement_correct"),
    path("reviews/<int:pk>/withdraw-consent/", views_corrections.withdraw_consent, name="consent_withdraw"),
    path("reviews/<int:pk>/give-consent/", views_corrections.give_consent, name="consent_give"),
    path("import/template.<str:file_format>", views.import_template, name="import_template"),
]
