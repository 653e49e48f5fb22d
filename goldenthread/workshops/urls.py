from django.urls import path

from goldenthread.workshops import views

app_name = "workshop"
urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("new/", views.workshop_new, name="new"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_code"),
    path("<str:code>/", views.home, name="home"),
    path("<str:code>/call/", views.card_call, name="call"),
    path("<str:code>/screen/", views.screen, name="screen"),
    path("<str:code>/place-rest/<str:kind>/", views.place_rest, name="place_rest"),
    path("<str:code>/boards/<int:board_id>/", views.board, name="board"),
    path("<str:code>/themes/<int:cluster_id>/", views.theme, name="theme"),
    path("<str:code>/votes/", views.votes, name="votes"),
    path("<str:code>/actions/", views.actions, name="actions"),
    path("<str:code>/actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("<str:code>/sharing/", views.sharing, name="sharing"),
    path("<str:code>/remove/<str:what>/<int:pk>/", views.remove, name="remove"),
    path("<str:code>/do/<str:op>/", views.do, name="do"),
]
