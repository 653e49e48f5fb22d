"""ASGI entry point: HTTP through Django, websockets through Channels."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from goldenthread.web.limits import BodySizeLimit  # noqa: E402
from goldenthread.web.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodySizeLimit(django_asgi_app),  # bodies over the size limit get a 413 unread
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
