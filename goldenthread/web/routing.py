"""Websocket routes."""
from django.urls import path

from goldenthread.workshops.consumers import WorkshopConsumer

websocket_urlpatterns: list = [
    path("ws/workshops/<str:code>/", WorkshopConsumer.as_asgi()),
]
