"""URLs for tenders and the people's panel. The tender pack's files are with the reports (reports:tender_pack)."""
from django.urls import path

from goldenthread.tenders import views as v

app_name = "tenders"
urlpatterns = [
    path("tenders/", v.index, name="index"),
    path("tenders/new/", v.new, name="new"),
    path("tenders/<int:pk>/", v.tender, name="tender"),
    path("tenders/<int:pk>/themes/", v.themes, name="themes"),
    path("tenders/<int:pk>/how-we-decided/", v.decided, name="decided"),
    path("tenders/<int:pk>/remove/<str:what>/<int:item>/", v.remove, name="remove"),
    path("panel/", v.panel_home, name="panel_home"),
    path("panel/join/<str:token>/", v.panel_join, name="panel_join"),
    path("panel/<int:pk>/bids/<int:bid_pk>/", v.panel_bid, name="panel_bid"),
]
