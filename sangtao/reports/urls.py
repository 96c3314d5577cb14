from django.urls import path

from . import paper_views, views

app_name = "reports"
urlpatterns = [
    path("dot/<str:code>/bao-cao-ket-qua/", views.report_list, name="list"),
    path("dot/<str:code>/de-cuong-bao-cao/", views.outline_edit, name="outline"),
    path("dang-ky/<int:reg_pk>/bao-cao-ket-qua/", views.report_for_registration, name="for_registration"),
    path("dang-ky/<int:reg_pk>/bao-cao-ket-qua/viet/", views.report_edit, name="edit"),
    path("bao-cao-ket-qua/<int:pk>/", views.report_detail, name="detail"),
    path("bao-cao-ket-qua/<int:pk>/doi-chieu/", views.side_by_side, name="side_by_side"),
    path("bao-cao-ket-qua/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("bao-cao-ket-qua/<int:pk>/van-ban/", paper_views.report_paper, name="paper"),
    path("bao-cao-ket-qua/<int:pk>/van-ban-tra-lai/", paper_views.return_paper, name="return_paper"),
    path("bao-cao-ket-qua/<int:pk>/<str:action>/", views.report_action, name="action"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:pk>/bo/", views.evidence_delete, name="evidence_delete"),
]
