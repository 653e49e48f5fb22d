"""Who is taking part: a signed-in facilitator, or a delegate who joined with the code (kept in their session)."""
from __future__ import annotations

from goldenthread.core import roles
from goldenthread.workshops.services import Actor

SESSION_KEY = "goldenthread_workshops"


def actor_for(user, session, workshop) -> Actor | None:
    if user is not None and roles.can_run_workshops(user):
        return Actor(label=user.get_username(), is_facilitator=True)
    delegate_id = (session or {}).get(SESSION_KEY, {}).get(str(workshop.pk))
    if delegate_id:
        delegate = workshop.delegates.filter(pk=delegate_id).first()
        if delegate:
            return Actor(label=f"{delegate.name} (delegate)", delegate_id=delegate.pk)
    return None


def remember_delegate(session, workshop, delegate) -> None:
    joined = dict(session.get(SESSION_KEY, {}))
    joined[str(workshop.pk)] = delegate.pk
    session[SESSION_KEY] = joined
