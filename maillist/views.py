"""Small function views of the e-mail list: guard, fetch-and-check, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import coordinator_required, member_required
from core.errors import ServiceError
from maillist import selectors, services
from maillist.forms import PostForm, TypeSettingsForm
from maillist.models import Post, PostState, PostType, TypeSetting
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
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    if not can_read(request.user, post):
        raise Http404  # a members-only post does not exist for anyone else
    return render(request, "maillist/post.html", {"post": post})


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
