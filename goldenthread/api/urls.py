"""``/api/v1/``: the API's URLs, open to machines (no sign-in page), each call logged."""
from django.urls import URLPattern, URLResolver, path

from goldenthread.api.security import logged
from goldenthread.api.views import api

#: The schema and docs pages are public and not logged; every other view needs a token.
UNLOGGED = {"openapi-json", "openapi-view"}


def _open_to_machines(patterns):
    """Skip the sign-in redirect (tokens, not sessions) and log each call."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_machines(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            if pattern.name not in UNLOGGED:
                pattern.callback = logged(pattern.callback)
            pattern.callback.login_required = False
    return patterns


_patterns, _app, _namespace = api.urls
urlpatterns = [path("", (_open_to_machines(_patterns), _app, _namespace))]
