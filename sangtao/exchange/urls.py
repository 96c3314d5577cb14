from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("nhap-ca-dot/", views.import_page, name="import"),
    path("nhap-ca-dot/mau/", views.template, name="template"),
    path("nhap-ca-dot/<int:pk>/", views.status, name="status"),
    path("dot/<str:code>/xuat-ca-dot/", views.export, name="export"),
]
