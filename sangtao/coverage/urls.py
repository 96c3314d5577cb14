from django.urls import path

from . import letters, lists, views

app_name = "coverage"
urlpatterns = [
    path("dot/<str:code>/tong-hop/", views.coverage_home, name="home"),
    path("dot/<str:code>/tong-hop/<int:org_pk>/", views.page, name="page"),
    path("dot/<str:code>/tong-hop/<int:org_pk>/chay/<str:kind>/", views.start_job, name="job_start"),
    path("dot/<str:code>/tong-hop/<int:org_pk>/nhac-nho/", views.reminder_log, name="reminders"),
    path("dot/<str:code>/tong-hop/<int:org_pk>/cong-van-don-doc/", letters.reminder_letter, name="reminder_letter"),
    path(
        "dot/<str:code>/tong-hop/<int:org_pk>/danh-sach-dang-ky/",
        lists.registration_list_download,
        name="registration_list",
    ),
    path("dot/<str:code>/tong-hop/<int:org_pk>/du-thao-bao-cao/", views.upward_draft, name="upward_draft"),
    path("van-ban/<int:pk>/gui-bao-cao-tong-hop/", views.upward_confirm, name="upward_confirm"),
    path("van-ban/<int:pk>/cap-nhat-so-lieu/", views.upward_refresh, name="upward_refresh"),
    path("bao-cao-tong-hop/<int:pk>/", views.upward_detail, name="upward"),
    path("bao-cao-tong-hop/<int:pk>/<str:action>/", views.upward_decide, name="upward_decide"),
    path("viec-chay-nen/<int:pk>/", views.job_status, name="job"),
    path("viec-chay-nen/<int:pk>/tai/", views.job_download, name="download"),
]
