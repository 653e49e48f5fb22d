from django.urls import path

from goldenthread.batch import views as v

app_name = "batch"
urlpatterns = [
    path("cycles/<slug:slug>/batch/", v.start, name="start"),
    path("batch/<int:pk>/", v.run_page, name="run"),
    path("batch/<int:pk>/confirm/", v.confirm, name="confirm"),
    path("batch/<int:pk>/workshop/", v.start_workshop, name="start_workshop"),
    path("batch/<int:pk>/resume/", v.resume, name="resume"),
    path("batch/<int:pk>/restart/", v.restart, name="restart"),
    path("batch/<int:pk>/themes/<int:theme_pk>/", v.theme_page, name="theme"),
    path("batch/<int:pk>/themes/<int:theme_pk>/move/", v.move, name="move"),
]
