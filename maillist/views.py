"""Small function views of the e-mail list: guard, fetch-and-check, call a service."""

from __future__ import annotations

import re

from allauth.core import ratelimit
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import coordinator_required, member_required
from accounts.models import User
from core.errors import ServiceError
from maillist import selectors, services, tokens
from maillist.forms import PostForm, SubscribeForm, TypeSettingsForm, TypesForm
from maillist.inbound import posting_address
from maillist.models import (
    ListSubscriber,
    OptOut,
    Post,
    PostState,
    PostType,
    SubscriberLog,
    TypeSetting,
)
from maillist.permissions import can_read

PER_PAGE = 20


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[: selectors.SEARCH_MAX]
    post_type = request.GET.get("type", "")
    posts = selectors.archive_for(request.user)
    if post_type in PostType.values:
        posts = posts.filter(post_type=post_type)
    posts = selectors.search(posts, query)
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "maillist/archive.html",
        {"page": page, "query": query, "post_type": post_type, "types": PostType.choices},
    )


@require_safe
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("author", "parent"), pk=pk)
    if not can_read(request.user, post):
        raise Http404  # a members-only post does not exist for anyone else
    replies = selectors.archive_for(request.user).filter(parent=post).order_by("sent_at", "pk")
    can_see_parent = post.parent is not None and can_read(request.user, post.parent)
    return render(
        request,
        "maillist/post.html",
        {
            "post": post,
            "replies": list(replies),
            "can_see_parent": can_see_parent,
            "may_reply": post.parent_id is None and services.may_reply(request.user, post),
        },
    )


@require_safe
def funding_board(request: HttpRequest) -> HttpResponse:
    open_hints, expired = selectors.funding_board(request.user)
    return render(request, "maillist/funding.html", {"open_hints": open_hints, "expired": expired})


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None, initial={"post_type": request.GET.get("type")})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(author=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if post.state == PostState.SENT:
                messages.success(request, _("Der Beitrag ist an den Verteiler gegangen."))
            else:
                messages.success(
                    request, _("Der Beitrag wartet auf die Freigabe durch die Koordination.")
                )
            return redirect(post)
    status = 400 if request.method == "POST" else 200
    return render(request, "maillist/post_new.html", {"form": form}, status=status)


@coordinator_required
@require_safe
def held_list(request: HttpRequest) -> HttpResponse:
    return render(request, "maillist/held.html", {"posts": selectors.held_posts(request.user)})


@coordinator_required
@require_POST
def post_decide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    try:
        services.post_decide(post=post, by=request.user, approve=request.POST.get("approve") == "1")
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("maillist:held")
    messages.success(request, _("Entschieden."))
    return redirect("maillist:held")


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def type_settings(request: HttpRequest) -> HttpResponse:
    current = list(
        TypeSetting.objects.filter(approval_required=True).values_list("post_type", flat=True)
    )
    form = TypeSettingsForm(request.POST or None, initial={"approval": current})
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["approval"])
        for post_type in PostType.values:
            services.type_setting_save(
                post_type=post_type, approval_required=post_type in chosen, by=request.user
            )
        messages.success(request, _("Die Einstellungen sind gespeichert."))
        return redirect("maillist:settings")
    return render(request, "maillist/settings.html", {"form": form})


# --- Subscribers ---------------------------------------------------------------------


def _message(request: HttpRequest, title: str, text: str, status: int = 200) -> HttpResponse:
    return render(request, "maillist/message.html", {"title": title, "text": text}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and not ratelimit.consume(request, action="subscribe"):
            form.add_error(
                None,
                _("Zu viele Anmeldungen von Ihrem Anschluss. Bitte versuchen Sie es später."),
            )
            return render(request, "maillist/subscribe.html", {"form": form}, status=429)
        if form.is_valid():
            services.subscriber_subscribe(
                email=form.cleaned_data["email"],
                post_types=form.cleaned_data["post_types"],
                language=get_language(),
            )
            # The same answer for new, pending and active addresses: nothing to enumerate.
            return render(request, "maillist/subscribe.html", {"sent": True})
        return render(request, "maillist/subscribe.html", {"form": form}, status=400)
    return render(request, "maillist/subscribe.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links too); the POST confirms."""
    subscriber_token = tokens.read_confirm(token)
    if not subscriber_token or not ListSubscriber.objects.filter(token=subscriber_token).exists():
        return _message(
            request,
            _("Ungültiger Link"),
            _(
                "Dieser Bestätigungslink ist ungültig oder abgelaufen. "
                "Sie können sich erneut eintragen."
            ),
            status=400,
        )
    if request.method == "POST":
        services.subscriber_confirm(token=subscriber_token)
        return _message(
            request,
            _("Abonnement bestätigt"),
            _("Sie erhalten ab jetzt die gewählten Beiträge des Verteilers."),
        )
    return render(request, "maillist/confirm.html", {})


@csrf_exempt  # RFC 8058: the mail client POSTs without our cookie; it only unsubscribes
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber_token = tokens.read_unsubscribe(token)
    subscriber = (
        ListSubscriber.objects.filter(token=subscriber_token).first() if subscriber_token else None
    )
    if subscriber is None:
        return _message(
            request,
            _("Ungültiger Link"),
            _("Dieser Abmeldelink ist ungültig. Bitte nutzen Sie den Link aus einer E-Mail."),
            status=400,
        )
    if request.method == "POST":
        services.subscriber_unsubscribe(token=subscriber.token)
        return _message(
            request,
            _("Abgemeldet"),
            _("Sie erhalten keine E-Mails des Verteilers mehr."),
        )
    return render(request, "maillist/unsubscribe.html", {"token": token})


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_types(request: HttpRequest) -> HttpResponse:
    opted_out = set(OptOut.objects.filter(user=request.user).values_list("post_type", flat=True))
    initial = [t for t in PostType.values if t not in opted_out]
    form = TypesForm(request.POST or None, initial={"post_types": initial})
    if request.method == "POST" and form.is_valid():
        services.member_types_save(user=request.user, post_types=form.cleaned_data["post_types"])
        messages.success(request, _("Gespeichert."))
        return redirect("maillist:member_types")
    status = 400 if request.method == "POST" else 200
    # Break points after "+", "." and "@": the address fits a phone's width.
    parts = re.split(r"(?<=[+.@])", posting_address(request.user))
    address = format_html_join(mark_safe("<wbr>"), "{}", ((part,) for part in parts))
    context = {"form": form, "posting_address": address}
    return render(request, "maillist/member_types.html", context, status=status)


@coordinator_required
@require_safe
def subscriber_list(request: HttpRequest) -> HttpResponse:
    subscribers = ListSubscriber.objects.prefetch_related("subscriptions")
    page = Paginator(subscribers, 100).get_page(request.GET.get("page"))
    counts = {
        "members": User.objects.members().count(),
        "active": ListSubscriber.objects.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).count(),
        "pending": ListSubscriber.objects.filter(confirmed_at__isnull=True).count(),
        "bouncing": ListSubscriber.objects.filter(bounce_count__gt=0).count(),
    }
    log = SubscriberLog.objects.select_related("by")[:20]
    return render(
        request,
        "maillist/subscribers.html",
        {"page": page, "counts": counts, "log": log, "type_labels": dict(PostType.choices)},
    )


@coordinator_required
@require_POST
def subscriber_remove(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = get_object_or_404(ListSubscriber, pk=pk)
    services.subscriber_remove(subscriber=subscriber, by=request.user)
    messages.success(request, _("Die Adresse ist entfernt."))
    return redirect("maillist:subscribers")


@require_http_methods(["GET", "HEAD", "POST"])
def subscriber_types(request: HttpRequest, token: str) -> HttpResponse:
    """An outside subscriber changes their types through the signed link from a mail."""
    subscriber_token = tokens.read_unsubscribe(token)
    subscriber = (
        ListSubscriber.objects.filter(token=subscriber_token).first() if subscriber_token else None
    )
    if subscriber is None:
        return _message(
            request,
            _("Ungültiger Link"),
            _("Dieser Abmeldelink ist ungültig. Bitte nutzen Sie den Link aus einer E-Mail."),
            status=400,
        )
    chosen = list(subscriber.subscriptions.values_list("post_type", flat=True))
    form = TypesForm(request.POST or None, initial={"post_types": chosen})
    if request.method == "POST" and form.is_valid():
        services.subscriber_types_save(
            token=subscriber.token, post_types=form.cleaned_data["post_types"]
        )
        return _message(request, _("Gespeichert."), _("Ihre Auswahl ist gespeichert."))
    return render(request, "maillist/subscriber_types.html", {"form": form})
