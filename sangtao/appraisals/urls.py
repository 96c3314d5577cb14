from django.urls import path

from . import paper_views, views

app_name = "appraisals"
urlpatterns = [
    path("dot/<str:code>/tham-dinh/", views.queue, name="queue"),
    path("dot/<str:code>/ket-qua-tham-dinh/", views.results, name="results"),
    path("dot/<str:code>/ket-qua-tham-dinh/diem-thuong/", views.bonus, name="bonus"),
    path("dot/<str:code>/ket-qua-tham-dinh/cong-bo/<int:org_pk>/", views.publish, name="publish"),
    path("dot/<str:code>/ket-qua-tham-dinh/dinh-chinh/", views.correction_new, name="correction_new"),
    path("dinh-chinh/<int:pk>/ky-duyet/", views.correction_act, {"action": "sign"}, name="correction_sign"),
    path("dinh-chinh/<int:pk>/cong-bo/", views.correction_act, {"action": "publish"}, name="correction_publish"),
    path("dot/<str:code>/ca-nhan-khong-dang-ky/", views.unregistered, name="unregistered"),
    path("dot/<str:code>/chat-luong-tham-dinh/", views.quality, name="quality"),
    path("dot/<str:code>/bo-tieu-chi/", views.campaign_rubrics, name="campaign_rubrics"),
    path("dang-ky/<int:reg_pk>/tham-dinh/mo/", views.open_appraisal, name="open"),
    path("tham-dinh/<int:pk>/", views.detail, name="detail"),
    path("tham-dinh/<int:pk>/tinh-diem/", views.calc, name="calc"),
    path("tham-dinh/<int:pk>/phieu-cham/", views.save_sheet, name="sheet"),
    path("tham-dinh/<int:pk>/thong-nhat/", views.consensus, name="consensus"),
    path("tham-dinh/<int:pk>/ky-duyet/", views.sign, name="sign"),
    path("tham-dinh/<int:pk>/phuc-tra/", views.reappraise, name="reappraise"),
    path("tham-dinh/ca-nhan/<int:pk>/minh-chung/", views.unregistered_evidence, name="unregistered_evidence"),
    path("tham-dinh/<int:pk>/bien-ban/", paper_views.minutes, name="paper_minutes"),
    path("tham-dinh/<int:pk>/phieu-cham/<int:sheet_pk>/van-ban/", paper_views.score_sheet, name="paper_sheet"),
    path("dot/<str:code>/ket-qua-tham-dinh/thong-bao/<int:org_pk>/", paper_views.notice, name="paper_notice"),
    path(
        "dot/<str:code>/tham-dinh/<int:org_pk>/bien-ban-phien-hop/", paper_views.session_minutes, name="paper_session"
    ),
    path("bo-tieu-chi/", views.rubric_list, name="rubrics"),
    path("bo-tieu-chi/<int:pk>/phien-ban-moi/", views.rubric_new, name="rubric_new"),
]
