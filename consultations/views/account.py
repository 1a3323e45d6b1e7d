"""Signing in and out, changing one's password, and one's calendar link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from ..feeds import calendar_for
from ..filters import OrganisationScopeForm
from ..models import CalendarToken, Organisation
from .editing import error_summary


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent from a page opened before signing in in another
    tab (signing in renews the CSRF token), or with the browser's cookies cleared or blocked, is
    refused (Django's CSRF check) with the site's page saying what to do, rather than Django's
    bare one."""
    return render(request, "403_csrf.html", status=403)


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (the account menu's button). The address typed or followed gets a
    page with that button rather than an empty "method not allowed"; signed out, the sign-in
    page."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("consultations:login")
        return render(request, "registration/logout_confirm.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with the summary of the errors at the top of the page, as on every form."""

    success_url = reverse_lazy("consultations:password-change-done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errors"] = error_summary(("", context["form"]))
        context["non_field_errors_in_summary"] = True
        context["passwords"] = True  # not kept from one post to the next
        return context


@login_required
def calendar_settings(request):
    """The user's secret calendar link; a member of several organisations may take one for a
    single organisation (``?organisation=``, as on the workspace)."""
    token = CalendarToken.for_user(request.user)
    scope = OrganisationScopeForm(
        request.GET, organisations=Organisation.objects.visible_to(request.user)
    )
    organisation = scope.chosen_organisation()
    feed_url = request.build_absolute_uri(
        reverse("consultations:calendar-feed", args=[token.token])
    )
    # The feed is written in the language of the page the link was taken from: a calendar app
    # sends its own Accept-Language, and no cookie.
    query = {"lang": translation.get_language()}
    if organisation is not None:
        query["organisation"] = organisation.pk
    feed_url += "?" + urlencode(query)
    context = {"feed_url": feed_url, "scope": scope, "organisation": organisation}
    return render(request, "consultations/account_calendar.html", context)


@login_required
def calendar_revoke(request):
    """A new secret; back to the link of the organisation that was shown, if any. A GET (the
    address followed) changes nothing and leads to the calendar page and its button."""
    if request.method != "POST":
        return redirect("consultations:calendar-settings")
    CalendarToken.for_user(request.user).revoke()
    messages.success(
        request,
        _("Nouveau lien créé : l'ancien ne fonctionne plus. Abonnez votre agenda au nouveau."),
    )
    scope = OrganisationScopeForm(
        request.POST, organisations=Organisation.objects.visible_to(request.user)
    )
    organisation = scope.chosen_organisation()
    url = reverse("consultations:calendar-settings")
    if organisation is not None:
        url += "?" + urlencode({"organisation": organisation.pk})
    return redirect(url)


def calendar_feed(request, token):
    """The feed answers to its secret alone (calendar apps cannot sign in); a revoked or unknown
    secret is a 404, and an inactive user's feed too. ``?organisation=`` narrows it to one of
    the owner's organisations (empty: all of them), ``?lang=`` writes it in one of the site's
    languages (else the calendar app's Accept-Language); any other value is a 404, as a
    calendar app shows no form."""
    try:
        owner = CalendarToken.objects.select_related("user").get(token=token).user
    except CalendarToken.DoesNotExist:
        raise Http404 from None
    if not owner.is_active:
        raise Http404
    organisation = None
    if "organisation" in request.GET:
        scope = OrganisationScopeForm(
            request.GET, organisations=Organisation.objects.visible_to(owner)
        )
        if not scope.is_valid():
            raise Http404
        organisation = scope.chosen_organisation()
    language = request.GET.get("lang") or translation.get_language()
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        calendar = calendar_for(
            owner, organisation=organisation, domain=split_domain_port(request.get_host())[0]
        )
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="vigie.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def switch_language(request, code):
    """The FR / EN switch: a plain link (no form, so public pages carry no CSRF token and can be
    cached); the choice is kept in the language cookie."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
