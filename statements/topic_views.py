"""The coordination manages the topics papers are filed under (list, create, rename)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import coordinator_required
from statements import services
from statements.forms import TopicForm
from statements.models import Topic, public_q


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def topic_list(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_create(
                name=form.cleaned_data["name"], name_en=form.cleaned_data["name_en"]
            )
        except services.TopicNameTaken as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Das Thema wurde angelegt."))
            return redirect("statements:topic_list")
    topics = Topic.objects.annotate(
        paper_count=Count("statements", distinct=True),
        public_count=Count("statements", filter=public_q("statements__"), distinct=True),
    ).order_by("name")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "statements/topic_list.html", {"topics": topics, "form": form}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(
                topic_id=topic.pk,
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
            )
        except services.TopicNameTaken as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Das Thema wurde gespeichert."))
            return redirect("statements:topic_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "statements/topic_edit.html", {"topic": topic, "form": form}, status=status
    )


@require_POST
@coordinator_required
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    try:
        services.topic_delete(topic_id=topic.pk)
    except services.TopicInUse as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Das Thema „%(name)s“ wurde gelöscht.") % {"name": topic.name})
    return redirect("statements:topic_list")
