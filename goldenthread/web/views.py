"""The project's own pages: errors. Every other page belongs to an app (see docs/architecture.md)."""
from __future__ import annotations

from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)
