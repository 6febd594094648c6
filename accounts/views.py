from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import coordinator_required, member_required


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


@member_required
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/directory.html")


@coordinator_required
def admission_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/admission_queue.html")
