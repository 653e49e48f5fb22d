"""The websocket for one workshop: changes in, "something changed" out to every screen.

A message is one JSON object ``{"type": <operation>, ...fields}``, or
``{"type": "hello", "version": n}`` after (re)connecting, which is answered with
the current version so a screen that missed changes catches up. Anything wrong
(too big, not JSON, unknown type, ids from another workshop, not allowed) gets
an ``error`` reply to that screen only and changes nothing.
"""
from __future__ import annotations

import json

from asgiref.sync import async_to_sync
from channels.generic.websocket import WebsocketConsumer

from goldenthread.workshops import broadcast, services
from goldenthread.workshops.access import actor_for
from goldenthread.workshops.models import Workshop

MAX_MESSAGE_BYTES = 4096


class WorkshopConsumer(WebsocketConsumer):
    def connect(self):
        code = self.scope["url_route"]["kwargs"]["code"]
        self.workshop = Workshop.objects.filter(code=code).first()
        self.actor = self.workshop and actor_for(self.scope.get("user"), self.scope.get("session"), self.workshop)
        if not self.actor:
            self.close(code=4403)
            return
        self.group = broadcast.group_name(self.workshop.pk)
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        self.accept()
        self._send_version()

    def disconnect(self, code):
        if getattr(self, "group", None):
            async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)

    def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data.encode()) > MAX_MESSAGE_BYTES:
            return self._error("That message was too big or not text.")
        try:
            message = json.loads(text_data)
        except ValueError:
            return self._error("That message was not understood.")
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return self._error("That message was not understood.")
        op = message.pop("type")
        ref = message.pop("ref", None)
        if op == "hello":
            return self._send_version()
        try:
            applied = services.run(self.workshop.pk, self.actor, op, message)
        except services.OpError as exc:
            return self._error(str(exc), ref)
        broadcast.announce_after_commit(applied)
        self.send(json.dumps({"type": "done", "version": applied.version, "ref": ref}))

    def workshop_changed(self, event):
        self.send(json.dumps({"type": "changed", "version": event["version"], "stage": event["stage"],
                              "op": event.get("op", "")}))

    def _send_version(self):
        w = Workshop.objects.only("version", "stage").get(pk=self.workshop.pk)
        self.send(json.dumps({"type": "changed", "version": w.version, "stage": w.stage, "op": "hello"}))

    def _error(self, text, ref=None):
        self.send(json.dumps({"type": "error", "message": text, "ref": ref}))
