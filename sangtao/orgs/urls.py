from django.urls import path

from . import views, views_io

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("tim-can-bo/", views.people_search, name="people_search"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("nhap-excel/", views_io.import_start, name="import"),
    path("nhap-excel/mau/", views_io.template_download, name="import_template"),
    path("nhap-excel/<int:pk>/", views_io.import_status, name="import_status"),
    path("<int:pk>/", views.org_detail, name="detail"),
    path("<int:pk>/con/", views.tree_children, name="children"),
    path("<int:pk>/sua/", views.org_edit, name="edit"),
    path("<int:pk>/them-to-chuc/", views.org_add_child, name="add_child"),
    path("<int:pk>/dieu-chuyen/", views.org_move, name="move"),
    path("<int:pk>/hop-nhat/", views.org_merge, name="merge"),
    path("<int:pk>/chia-tach/", views.org_split, name="split"),
    path("<int:pk>/giai-the/", views.org_close, name="close"),
    path("<int:pk>/lich-su/", views.org_history, name="history"),
    path("<int:pk>/xuat-excel/", views_io.export_tree, name="export"),
    path("<int:org_pk>/them-can-bo/", views.person_edit, name="person_add"),
    path("can-bo/<int:pk>/", views.person_detail, name="person"),
    path("can-bo/<int:pk>/sua/", views.person_edit, name="person_edit"),
]
