from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("dot/", views.campaign_list, name="list"),
    path("dot/mo/", views.campaign_open, name="open"),
    path("dot/<str:code>/", views.campaign_home, name="home"),
    path("dot/<str:code>/sua/", views.campaign_edit, name="edit"),
    path("dot/<str:code>/cap/<int:org_pk>/", views.level_page, name="level"),
    path("dot/<str:code>/cap/<int:org_pk>/trien-khai/", views.level_cascade, name="cascade"),
    path("dot/<str:code>/cap/<int:org_pk>/cong-van/", views.letter_new, name="letter_new"),
    path("van-ban/<int:pk>/", views.document_detail, name="document"),
    path("van-ban/<int:pk>/ban-hanh/", views.document_issue, name="document_issue"),
    path("van-ban/<int:pk>/docx/", views.document_docx, name="document_docx"),
    path("van-ban/<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("van-ban/<int:pk>/ky-ca-nhan/", views.document_signed_upload, name="document_signed_upload"),
    path("van-ban/<int:pk>/tro-lai-du-thao/", views.document_back_to_draft, name="document_back_to_draft"),
    path("van-ban/<int:pk>/dinh-kem/", views.attachment_upload, name="attachment_upload"),
    path("van-ban/dinh-kem/<int:pk>/", views.attachment_download, name="attachment"),
    path("mau-cong-van/", views.letter_template_edit, name="letter_template"),
    path("van-ban-den/", views.inbox, name="inbox"),
    path("van-ban-den/<int:pk>/xac-nhan/", views.inbox_acknowledge, name="acknowledge"),
]
