from django.urls import path

from goldenthread.reporting import views as v

app_name = "reports"
urlpatterns = [
    path("cycles/<slug:slug>/report/", v.report_page, name="page"),
    path("cycles/<slug:slug>/report/download/<str:output>.<str:file_format>", v.download, name="download"),
    path("cycles/<slug:slug>/report/council-themes.<str:file_format>", v.council_download, name="council_download"),
    path("cycles/<slug:slug>/golden-thread/", v.thread, name="thread"),
    path("cycles/<slug:slug>/you-said-we-did/", v.you_said, name="you_said"),
    path("cycles/<slug:slug>/you-said-we-did.pdf", v.you_said_pdf, name="you_said_pdf"),
    path("cycles/<slug:slug>/theme-matches/", v.matches, name="matches"),
    path("outcomes/<int:pk>/", v.outcome, name="outcome"),
    path("cycles/<slug:slug>/market/", v.market, name="market"),
    path("cycles/<slug:slug>/market/summary/", v.market_summary, name="market_summary"),
    path("cycles/<slug:slug>/market/summary.<str:file_format>", v.market_summary, name="market_summary_file"),
    path("golden-thread/actions/<int:pk>/", v.action_page, name="action_thread"),
    path("golden-thread/themes/<int:pk>/", v.theme_page, name="theme_thread"),
    path("tenders/<int:pk>/pack.<str:file_format>", v.tender_pack, name="tender_pack"),
]
