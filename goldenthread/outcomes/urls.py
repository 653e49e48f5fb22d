"""URLs for the outcome framework: the list of outcome areas, imports and the theme links."""
from django.urls import path

from goldenthread.outcomes import views as v

app_name = "outcomes"
urlpatterns = [
    path("outcomes/", v.index, name="index"),
    path("outcomes/import/<str:what>/", v.import_file, name="import"),
    path("cycles/<slug:slug>/outcome-links/", v.links, name="links"),
]
