"""Small function views: guard, fetch-and-check, call a service, redirect/render."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import coordinator_required, member_required
from notifications import services, tokens
from notifications.builders import Loaded, comment_excerpt, reader_may_see, suggestion_changes
from notifications.forms import PreferencesForm, SubscribeForm
from notifications.kinds import LOCKED_KINDS, preference_kinds_for, target_path
from notifications.models import (
    Channel,
    Kind,
    Notification,
    PublicSubscriber,
    Status,
)
from notifications.selectors import inapp_notifications_for
from statements.access import statement_for


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The in-app list, grouped by paper (newest group first), each entry with an excerpt of
    its comment. Queries: a fixed few per page (Loaded), whatever the rows are about."""
    rows = inapp_notifications_for(request.user).select_related("statement")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    loaded = Loaded(list(page))  # comments, ballots, actors, paper authors: one query each
    changes = suggestion_changes(page, loaded)  # from the comments Loaded already holds
    groups: dict[object, dict] = {}
    items = []
    for n in page:
        visible = reader_may_see(request.user, n.statement)
        # One card per paper; rows about no paper (admissions, membership) share one.
        key = (n.statement_id or "other") if visible else ("row", n.pk)
        group = groups.setdefault(
            key,
            {
                "statement": n.statement if visible else None,
                "other": key == "other",
                "items": [],
                "unread": 0,
            },
        )
        if not visible:
            # A paper the reader may no longer see (back to draft, withdrawn, no longer
            # an author): a neutral line, neither title nor person nor link.
            item = {"n": n, "hidden": True}
        else:
            item = {
                "n": n,
                "label": Kind(n.kind).label,
                "actor": loaded.actors.get(n.context.get("actor_id")),
                "url": target_path(n.kind, n.statement, n.context),
                "change": changes.get(n.pk, ""),
                "excerpt": comment_excerpt(n, loaded),
            }
        group["items"].append(item)
        group["unread"] += n.read_at is None
        items.append(item)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": items, "groups": list(groups.values())},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    row = services.notification_mark_read(user=request.user, notification_id=pk)
    if row is None:
        return render(
            request,
            "notifications/message.html",
            {"title": _("Nicht gefunden"), "text": _("Diese Benachrichtigung gibt es nicht.")},
            status=404,
        )
    if request.POST.get("open") and reader_may_see(request.user, row.statement):
        return redirect(target_path(row.kind, row.statement, row.context))
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_paper_read(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Everything about one paper read at once; touches only the person's own rows."""
    services.notifications_mark_read_for_statement(user=request.user, statement_id=statement_id)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    kinds = preference_kinds_for(request.user)
    current = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, kinds=kinds, initial_modes=current)
    if request.method == "POST" and form.is_valid():
        for kind, mode in form.cleaned_data.items():
            if kind not in LOCKED_KINDS:
                services.preference_save(user=request.user, kind=kind, mode=mode)
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    payload = tokens.read_unsubscribe(token)
    if payload is None:
        return render(
            request,
            "notifications/message.html",
            {
                "title": _("Ungültiger Link"),
                "text": _(
                    "Dieser Abmeldelink ist ungültig. "
                    "Bitte nutzen Sie den Link aus einer aktuellen E-Mail."
                ),
            },
            status=400,
        )
    is_subscriber = "s" in payload
    kind = payload.get("k", "")
    label = Kind(kind).label if kind in Kind.values else ""
    if request.method == "POST":
        if is_subscriber:
            services.subscriber_unsubscribe(token=str(payload["s"]))
        else:
            services.unsubscribe_kind(user_id=int(payload.get("u") or 0), kind=kind)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"done": True, "is_subscriber": is_subscriber, "label": label},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "done": False,
            "is_subscriber": is_subscriber,
            "label": label,
            "locked": kind in LOCKED_KINDS,
        },
    )


@member_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    statement = statement_for(request.user, slug, "internal")
    following = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, statement=statement, following=following)
    if request.htmx:
        return render(
            request,
            "notifications/_follow_button.html",
            {"statement": statement, "following": following},
        )
    return redirect(statement.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and not ratelimit.consume(request, action="subscribe"):
            # Each confirmation is a mail from our server: bound what one client can trigger.
            form.add_error(
                None,
                _("Zu viele Anmeldungen von Ihrem Anschluss. Bitte versuchen Sie es später."),
            )
            return render(request, "notifications/subscribe.html", {"form": form}, status=429)
        if form.is_valid():
            services.subscriber_subscribe(email=form.cleaned_data["email"], language=get_language())
            # The same answer for new, pending and existing addresses: nothing to enumerate.
            return render(request, "notifications/subscribe.html", {"sent": True})
        return render(request, "notifications/subscribe.html", {"form": form}, status=400)
    return render(request, "notifications/subscribe.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber_token = tokens.read_confirm(token)
    exists = subscriber_token and PublicSubscriber.objects.filter(token=subscriber_token).exists()
    if not exists:
        return render(
            request,
            "notifications/message.html",
            {
                "title": _("Ungültiger Link"),
                "text": _(
                    "Dieser Bestätigungslink ist ungültig oder abgelaufen. "
                    "Sie können sich erneut eintragen."
                ),
            },
            status=400,
        )
    if request.method == "POST":
        services.subscriber_confirm(token=subscriber_token)
        return render(request, "notifications/subscribe_confirm.html", {"done": True})
    return render(request, "notifications/subscribe_confirm.html", {"done": False})


@coordinator_required
def failed_list(request: HttpRequest) -> HttpResponse:
    counts = dict(
        Notification.objects.filter(channel=Channel.EMAIL)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    rows = (
        Notification.objects.filter(status__in=[Status.FAILED, Status.UNANSWERED])
        .select_related("recipient", "subscriber", "invitation", "statement")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    summary = [(Status(s).label, counts.get(s, 0)) for s in Status.values]
    return render(request, "notifications/failed.html", {"page": page, "summary": summary})


@coordinator_required
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    if request.POST.get("all"):
        count = services.notification_retry()
    else:
        # isdigit() alone lets "²" through to int(); 18 digits fit any id column.
        given = request.POST.getlist("id")
        ids = [int(v) for v in given if v.isascii() and v.isdigit() and len(v) < 19]
        count = services.notification_retry(notification_ids=ids)
    messages.success(request, _("%(count)s E-Mails werden erneut versucht.") % {"count": count})
    return redirect("notifications:failed")
