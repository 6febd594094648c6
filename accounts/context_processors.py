from django.conf import settings
from django.http import HttpRequest

from accounts.permissions import is_coordinator, is_member


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.RTM_CONTACT_EMAIL,
        "user_is_member": is_member(user),
        "user_is_coordinator": is_coordinator(user),
    }
