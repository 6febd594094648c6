"""Companion versions of a published paper (issue 19): the public page and PDF of an
approved version, the members' overview with the review, and the writing form.
The rules are statements.companions'; these views translate HTTP."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import member_required
from public import documents
from public.cache import cached_page
from statements import companions
from statements.access import statement_for
from statements.models import Companion, CompanionKind, Statement


def public_companions(statement: Statement) -> list[Companion]:
    """The approved versions of a public paper, in order (one query)."""
    return list(
        Companion.objects.public().filter(statement=statement).select_related("reviewed_by")
    )


def _public_companion(slug: str, code: str) -> Companion:
    found = companions.parse_code(code)
    if found is None:
        raise Http404
    kind, language = found
    companion = (
        Companion.objects.public()
        .select_related("statement", "reviewed_by")
        .filter(statement__slug=slug, kind=kind, language=language)
        .first()
    )
    if companion is None:
        raise Http404
    return companion


@require_safe
def companion_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """/statements/<slug>/fassung/<code>/: an approved version, for everyone."""

    def render_page() -> HttpResponse:
        companion = _public_companion(slug, code)
        statement = companion.statement
        siblings = public_companions(statement)
        context = {
            "companion": companion,
            "statement": statement,
            "language": companions.language(companion.language),
            "siblings": siblings,
            "others": [sibling for sibling in siblings if sibling.pk != companion.pk],
        }
        return render(request, "public/companion.html", context)

    return cached_page(request, render_page)


@require_safe
def companion_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    companion = _public_companion(slug, code)
    found = documents.get_companion_pdf(companion, numbered=request.GET.get("zeilen") == "1")
    response = HttpResponse(found.path.read_bytes(), content_type=found.content_type)
    response["Content-Disposition"] = f'inline; filename="{found.filename}"'
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
@member_required
def companion_list(request: HttpRequest, slug: str) -> HttpResponse:
    """/statements/<slug>/fassungen/: every version with its state; review and approve."""
    statement = statement_for(request.user, slug, "internal")
    rows = list(
        Companion.objects.filter(statement=statement).select_related("written_by", "reviewed_by")
    )
    for row in rows:
        row.may_approve = companions.can_approve_companion(request.user, row)
        row.may_edit = companions.can_edit_companion(request.user, row)
        row.lang = companions.language(row.language)
        if row.kind == CompanionKind.PLAIN:
            row.readability = companions.readability(row.body)
    present = {(row.kind, row.language) for row in rows}
    missing = [
        lang
        for lang in companions.languages()
        if (CompanionKind.TRANSLATION, lang.code) not in present
    ]
    context = {
        "statement": statement,
        "rows": rows,
        "missing": missing,
        "plain_missing": (CompanionKind.PLAIN, "de") not in present,
        "may_write": companions.can_write_companion(request.user, statement),
        "original_readability": companions.readability(statement.body),
    }
    return render(request, "public/companion_list.html", context)


class CompanionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Text (Markdown)"),
        max_length=companions.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 20}),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def companion_write(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """/statements/<slug>/fassungen/<code>/schreiben/: write a version (or change one's own)."""
    statement = statement_for(request.user, slug, "internal")
    found = companions.parse_code(code)
    if found is None:
        raise Http404
    kind, language = found
    existing = Companion.objects.filter(statement=statement, kind=kind, language=language).first()
    if existing is not None and not companions.can_edit_companion(request.user, existing):
        return _refused(request, _("Diese Fassung können Sie nicht ändern."))
    if not companions.can_write_companion(request.user, statement):
        return _refused(
            request,
            _("Fassungen können nur zu veröffentlichten Stellungnahmen geschrieben werden."),
        )
    initial = {"title": existing.title, "body": existing.body} if existing else {}
    form = CompanionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                companions.companion_save(
                    statement=statement,
                    actor=request.user,
                    kind=kind,
                    language_code=language,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except companions.CompanionError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request, _("Gespeichert. Ein zweites Mitglied muss die Fassung noch prüfen.")
                )
                return redirect("public:companion_list", slug=statement.slug)
        else:
            status = 400
    body = form["body"].value() or ""
    context = {
        "statement": statement,
        "form": form,
        "kind": kind,
        "language": companions.language(language),
        "code": code,
        "readability": companions.readability(body) if kind == CompanionKind.PLAIN else None,
    }
    return render(request, "public/companion_write.html", context, status=status)


@require_POST
@member_required
def companion_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    statement = statement_for(request.user, slug, "internal")
    companion = get_object_or_404(Companion, pk=pk, statement=statement)
    try:
        companions.companion_approve(companion_id=companion.pk, actor=request.user)
    except companions.CompanionError as error:
        return _refused(request, error.message, status=error.status)
    messages.success(request, _("Die Fassung ist freigegeben und jetzt öffentlich."))
    return redirect("public:companion_list", slug=statement.slug)


def _refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "public/companion_refused.html", {"message": message}, status=status)
