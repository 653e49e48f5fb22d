"""Websocket routes. The live workshop boards add theirs here."""
websocket_urlpatterns: list = []
