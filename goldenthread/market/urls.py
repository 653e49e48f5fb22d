"""URLs for the market directory and the links from future themes to service types."""
from django.urls import path

from goldenthread.market import views as v

app_name = "market"
urlpatterns = [
    path("market/", v.index, name="index"),
    path("market/import/<str:what>/", v.import_file, name="import"),
    path("market/<str:what>/add/", v.edit, name="add"),
    path("market/<str:what>/<int:pk>/", v.edit, name="edit"),
    path("market/<str:what>/<int:pk>/remove/", v.remove, name="remove"),
    path("cycles/<slug:slug>/service-type-links/", v.links, name="links"),
]
