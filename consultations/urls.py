from django.contrib.auth import views as auth_views
from django.urls import path

from . import feeds
from .cache import cached_public_page
from .filters import PublicTimelineFilter
from .forms import SignInForm
from .views import account, editing, exports, public, workspace

app_name = "consultations"

urlpatterns = [
    # Public pages
    path("", public.timeline, name="public-list"),
    path(
        "feeds/timeline.atom",
        cached_public_page(feeds.TimelineFeed(), parameters=PublicTimelineFilter.base_filters),
        name="timeline-feed",
    ),
    path("consultations/<int:pk>/", public.consultation_detail, name="consultation-detail"),
    path("documents/<int:pk>/", exports.document_download, name="document-download"),
    path("deployments/", public.deployment_list, name="deployment-list"),
    path("deployments/<int:pk>/", public.deployment_detail, name="deployment-detail"),
    path("deployments.csv", exports.deployment_register_csv, name="deployment-csv"),
    # Representatives' workspace
    path("workspace/", workspace.home, name="workspace"),
    path(
        "workspace/consultations/",
        workspace.ConsultationListView.as_view(),
        name="consultation-list",
    ),
    # Editing views
    path("workspace/deployments/new/", editing.deployment_form, name="deployment-create"),
    path("workspace/deployments/<int:pk>/edit/", editing.deployment_form, name="deployment-edit"),
    path("workspace/consultations/new/", editing.consultation_form, name="consultation-create"),
    path("consultations/<int:pk>/edit/", editing.consultation_form, name="consultation-edit"),
    path("consultations/<int:pk>/meetings/new/", editing.meeting_log, name="meeting-log"),
    path("meetings/<int:pk>/edit/", editing.meeting_edit, name="meeting-edit"),
    path(
        "consultations/<int:pk>/expertise/new/", editing.expertise_create, name="expertise-create"
    ),
    path("expertises/<int:pk>/edit/", editing.expertise_edit, name="expertise-edit"),
    path("consultations/<int:pk>/responses/new/", editing.response_create, name="response-create"),
    path("consultations/<int:pk>/demands/", editing.demands_edit, name="demands-edit"),
    path("consultations/<int:pk>/documents/new/", editing.document_upload, name="document-upload"),
    # PDF exports
    path("motions/<int:pk>.pdf", exports.motion_pdf, name="motion-pdf"),
    path("consultations/<int:pk>/dossier.pdf", exports.dossier_pdf, name="dossier-pdf"),
    path("bodies/<int:pk>/motions-<int:year>.pdf", exports.register_pdf, name="register-pdf"),
    # Accounts
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", account.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        account.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("language/<str:code>/", account.switch_language, name="switch-language"),
    path("accounts/calendar/", account.calendar_settings, name="calendar-settings"),
    path("accounts/calendar/revoke/", account.calendar_revoke, name="calendar-revoke"),
    path("feeds/calendar/<slug:token>.ics", account.calendar_feed, name="calendar-feed"),
]
