from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("workflow.urls")),
    path("", include("discussion.urls")),
    path("", include("voting.urls")),
    path("", include("meetings.urls")),
    path("", include("maillist.urls")),
    path("", include("notifications.urls")),
    path("", include("public.urls")),
    # public owns /statements/<slug>/ (every app's panel on one page); its converter leaves
    # the reserved slugs (statements/new/) to the statements app's routes below.
    path("", include("statements.urls")),
]

# Oversized bodies answer 413 with a readable page (rtm_workflow/security.py).
handler400 = "rtm_workflow.security.bad_request"
# A database outage is a 503 with Retry-After that shows back what was typed.
handler500 = "rtm_workflow.outage.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
