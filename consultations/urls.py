from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import account, exports, public

app_name = "consultations"

urlpatterns = [
    path("", public.ConsultationListView.as_view(), name="public-list"),
    path("documents/<int:pk>/", exports.document_download, name="document-download"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("consultations:password-change-done")
        ),
        name="password-change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("accounts/calendar/", account.calendar_settings, name="calendar-settings"),
    path("accounts/calendar/revoke/", account.calendar_revoke, name="calendar-revoke"),
    path("feeds/calendar/<str:token>.ics", account.calendar_feed, name="calendar-feed"),
]
