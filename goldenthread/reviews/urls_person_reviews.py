"""URLs for person-centred reviews, one-page profiles and success indicators."""
from django.urls import path

from goldenthread.reviews import views_person_reviews as v

urlpatterns = [
    path("people/", v.people_home, name="people"),
    path("cycles/<slug:slug>/person-centred-reviews/new/", v.pcr_start, name="pcr_start"),
    path("person-centred-reviews/<int:pk>/", v.pcr_tasks, name="pcr_tasks"),
    path("person-centred-reviews/<int:pk>/finish/", v.pcr_finish, name="pcr_finish"),
    path("person-centred-reviews/<int:pk>/profile/", v.pcr_profile, name="pcr_profile"),
    path("person-centred-reviews/<int:pk>/<slug:step>/", v.pcr_step, name="pcr_step"),
    path("people/<str:person_ref>/profile/", v.profile_detail, name="profile"),
    path("people/<str:person_ref>/profile/edit/", v.profile_edit, name="profile_edit"),
    path("people/<str:person_ref>/profile/versions/<int:version_pk>/", v.profile_version, name="profile_version"),
    path("people/<str:person_ref>/profile/print/", v.profile_print, name="profile_print"),
    path("people/<str:person_ref>/profile.pdf", v.profile_pdf, name="profile_pdf"),
    path("people/<str:person_ref>/data/", v.person_data, name="person_data"),
    path("people/<str:person_ref>/data.json", v.person_data_json, name="person_data_json"),
    path("people/<str:person_ref>/erase/", v.person_erase, name="person_erase"),
    path("api/reviews/<int:pk>.json", v.review_api, name="review_api"),
    path("indicators/", v.indicators, name="indicators"),
]
