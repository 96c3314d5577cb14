from django.urls import path

from . import paper_views, stock_views, views

app_name = "registrations"
urlpatterns = [
    path("dot/<str:code>/dang-ky/", views.registration_list, name="list"),
    path("dot/<str:code>/dang-ky/xuat-excel/", views.registration_export, name="export"),
    path("dot/<str:code>/dang-ky/moi/", views.registration_edit, name="create"),
    path("dot/<str:code>/cap/<int:org_pk>/tinh-hinh-dang-ky/", views.level_status, name="level_status"),
    path("dot/<str:code>/cap/<int:org_pk>/nop-dang-ky/", views.submit_in_writing, name="submit_in_writing"),
    path("van-ban-dang-ky/<int:pk>/xac-nhan/", views.written_confirm, name="written_confirm"),
    path("dang-ky/tuong-tu/", views.similar_live, name="similar"),
    path("dang-ky/cum-tu-thuong-gap/", stock_views.stock_phrases, name="stock_phrases"),
    path("dang-ky/<int:pk>/", views.registration_detail, name="detail"),
    path("dang-ky/<int:pk>/sua/", views.registration_edit, name="edit"),
    path("dang-ky/<int:pk>/xoa/", views.registration_delete, name="delete"),
    path("dang-ky/<int:pk>/tinh-moi/", views.registration_not_new, name="not_new"),
    path("dang-ky/<int:pk>/so-sanh/", views.registration_compare, name="compare"),
    path("dang-ky/<int:pk>/doi-chieu/<int:other_pk>/", views.registration_side_by_side, name="side_by_side"),
    path("dang-ky/<int:pk>/dinh-kem/", views.attachment_upload, name="attachment_upload"),
    path("dang-ky/dinh-kem/<int:pk>/", views.attachment_download, name="attachment"),
    path("dang-ky/<int:pk>/van-ban-tra-lai/", paper_views.return_paper, name="return_paper"),
    path("dang-ky/<int:pk>/<str:action>/", views.registration_action, name="action"),
]
