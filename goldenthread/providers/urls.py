from django.urls import path

from goldenthread.providers import views

app_name = "providers"

urlpatterns = [
    path("", views.index, name="index"),
    path("funds.<str:fmt>", views.funds_export, name="funds_export"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/matching/", views.person_matching, name="matching"),
    path("people/<int:pk>/four-plus-one/new/", views.four_plus_one_new, name="four_plus_one_new"),
    path("people/<int:pk>/learning-log/new/", views.learning_log_new, name="learning_log_new"),
    path("people/<int:pk>/doughnut/new/", views.doughnut_new, name="doughnut_new"),
    path("people/<int:pk>/job-specification/<int:doughnut_pk>/", views.job_spec, name="job_spec"),
    path("people/<int:pk>/wishes/", views.wishes_edit, name="wishes"),
    path("services/<int:pk>/team/", views.team, name="team"),
    path("services/<int:pk>/staff/new/", views.staff_edit, name="staff_new"),
    path("services/<int:pk>/staff/<int:staff_pk>/", views.staff_edit, name="staff_edit"),
    path("funds/<int:pk>/", views.fund_detail, name="fund"),
    path("funds/<int:pk>/record/", views.record_entry, name="record"),
    path("funds/<int:pk>/lines/<int:entry_pk>/correct/", views.correct_entry, name="correct"),
    path("funds/<int:pk>/plan/new/", views.plan_line_new, name="plan_line_new"),
    path("funds/<int:pk>/redivide/", views.redivide, name="redivide"),
    path("funds/<int:pk>/ledger.<str:fmt>", views.fund_export, name="fund_export"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>/", views.statement_page, name="statement"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>/easy-read/", views.statement_page, {"easy": True},
         name="easy_statement"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>.json", views.statement_json, name="statement_json"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>/statement.pdf", views.statement_download,
         name="statement_pdf"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>/easy-read.pdf", views.statement_download, {"easy": True},
         name="easy_statement_pdf"),
]
