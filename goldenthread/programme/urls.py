"""URLs for the programme around the workshop (namespace ``programme``)."""
from django.urls import path

from goldenthread.programme import views as v

app_name = "programme"
urlpatterns = [
    path("cycles/<slug:slug>/programme/", v.planner, name="planner"),
    path("cycles/<slug:slug>/programme/purpose/", v.purpose, name="purpose"),
    path("cycles/<slug:slug>/programme/decisions/", v.decisions, name="decisions"),
    path("cycles/<slug:slug>/programme/sample/", v.sample, name="sample"),
    path("cycles/<slug:slug>/programme/workshops/", v.workshops, name="workshops"),
    path("cycles/<slug:slug>/programme/evaluations/", v.evaluations, name="evaluations"),
    path("cycles/<slug:slug>/programme/actions/", v.follow_up, name="follow_up"),
    path("cycles/<slug:slug>/programme/next/", v.next_cycle, name="next_cycle"),
    path("programme/workshops/<str:code>/delegates/", v.delegates, name="delegates"),
    path("programme/workshops/<str:code>/delegates/<int:pk>/", v.invitee_edit, name="invitee_edit"),
    path("programme/workshops/<str:code>/invitation/", v.invitation, name="invitation"),
    path("programme/workshops/<str:code>/invitation/easy-read/", v.invitation, {"easy_read": True},
         name="invitation_easy"),
    path("programme/workshops/<str:code>/invitation.pdf", v.invitation_pdf, name="invitation_pdf"),
    path("programme/workshops/<str:code>/invitation-easy-read.pdf", v.invitation_pdf, {"easy_read": True},
         name="invitation_easy_pdf"),
    path("programme/workshops/<str:code>/evaluation/", v.evaluate, name="evaluate"),
    path("programme/actions/<int:pk>/", v.action, name="action"),
    path("comment/", v.comment_start, name="comment_start"),
    path("comment/<str:code>/", v.comment, name="comment"),
]
