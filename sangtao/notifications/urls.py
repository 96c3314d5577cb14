from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("<int:pk>/mo/", views.open_item, name="open"),
    path("da-doc-tat-ca/", views.read_all, name="read_all"),
    path("cai-dat/", views.preferences, name="preferences"),
]
