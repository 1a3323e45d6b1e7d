from django.urls import path

from .views import exports, public

app_name = "consultations"

urlpatterns = [
    path("", public.ConsultationListView.as_view(), name="public-list"),
    path("documents/<int:pk>/", exports.document_download, name="document-download"),
]
