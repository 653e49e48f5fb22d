"""Who may do what, and when: the workshop's stages and roles as one table.

A workshop has two kinds of people. The **facilitator** is a signed-in user
who may run workshops; a **delegate** joined with the code and has no account.
The method gives each stage its own work: in the card call the facilitator
reads each card out and the room decides where it goes; on the boards people
cluster the cards; then they name the themes, vote on what is not working and
ask "why?", plan actions and decide who to tell.

:data:`TABLE` says, for every operation in :mod:`goldenthread.workshops.services`,
at which stages each role may use it. Delegates place and move cards, name
themes, vote (only once the facilitator has opened voting by moving the
workshop to "Analysis and voting"), and add reasons, success statements,
actions and sharing-plan lines in their stages. Only the facilitator merges,
splits, removes, reveals votes, undoes and redoes, changes the stage, adopts a
proposal as the main board, turns the card-call suggestions on or off, asks the
engine to "place the rest" and accepts or rejects its proposed places, and edits
or removes actions and sharing-plan lines.

:func:`refusal` is checked by ``services.run`` for every change, whether it came
from a websocket or a plain form, so the table is the rule. Pages ask
:func:`allowed` (or :func:`allowed_ops`) to offer only what that person may do now.

This module is plain Python over the stage names; it imports no other part of
the app, so views, templates, services and tests can all read it.
"""
from __future__ import annotations

from goldenthread.workshops.models import Stage

FACILITATOR = "facilitator"
DELEGATE = "delegate"
ROLES = (FACILITATOR, DELEGATE)

ALL = frozenset(Stage.values)
J, CC, B, N, A, AP, S = (Stage.JOIN, Stage.CARD_CALL, Stage.BOARDS, Stage.NAMING, Stage.ANALYSIS, Stage.ACTIONS,
                         Stage.SHARING)
NONE: frozenset = frozenset()


def _s(*stages) -> frozenset:
    return frozenset(stages)


#: op -> (stages a facilitator may do it, stages a delegate may do it, what it is called in a refusal)
TABLE: dict[str, tuple[frozenset, frozenset, str]] = {
    # Running the day
    "set_stage": (ALL, NONE, "Changing the stage"),
    "set_timer": (ALL, NONE, "Setting the timer"),
    "add_delegate": (ALL, NONE, "Adding someone without a phone"),
    "set_joining": (ALL, NONE, "Opening or closing joining"),
    "extend_joining": (ALL, NONE, "Keeping the join code working longer"),
    "remove_delegate": (ALL, NONE, "Taking someone off the list"),
    "merge_delegates": (ALL, NONE, "Putting two people together"),
    # The card call: the facilitator records the room's decision. Card-call undo only during the card call.
    "call_card": (_s(J, CC, B), NONE, "Calling a card"),
    "undo_call": (_s(CC), NONE, "Undoing a card call"),
    # The theme engine's help with the card call: suggestions on or off, and "place the rest" (a proposal
    # that only the facilitator runs, and accepts, moves or rejects card by card; never applied by itself)
    "set_suggestions": (ALL, NONE, "Turning suggestions on or off"),
    "set_delegate_suggestions": (ALL, NONE, "Turning suggestions on or off for delegates"),
    # The projector: which theme it shows in analysis, action plans and sharing
    "show_on_screen": (ALL, NONE, "Choosing the theme on the projector"),
    "place_rest": (_s(CC, B, N), NONE, "Asking the theme engine to place the rest"),
    "accept_rest": (_s(CC, B, N), NONE, "Accepting the theme engine's proposed places"),
    "accept_place": (_s(CC, B, N), NONE, "Accepting or moving a proposed place"),
    "reject_place": (_s(CC, B, N), NONE, "Rejecting a proposed place"),
    # One undo history for the whole workshop, with redo
    "undo_change": (ALL, NONE, "Undo"),
    "redo": (ALL, NONE, "Redo"),
    # Boards
    "move_card": (ALL, _s(B, N), "Moving cards"),
    "move_cluster": (ALL, _s(B, N), "Moving clusters"),
    "rename_cluster": (ALL, _s(B, N), "Naming themes"),
    "merge_clusters": (ALL, NONE, "Merging clusters"),
    "split_cluster": (ALL, NONE, "Splitting a cluster"),
    "add_board": (ALL, NONE, "Adding a pre-cluster board"),
    "auto_cluster": (ALL, NONE, "Asking the theme engine for a proposal"),
    "merge_boards": (ALL, NONE, "Merging pre-cluster boards"),
    "adopt_board": (ALL, NONE, "Adopting a proposal as the main board"),
    # Analysis: voting opens when the facilitator moves everyone to "Analysis and voting"
    "set_notes": (ALL, _s(N, A), "Writing what works and success stories"),
    "vote": (_s(A), _s(A), "Voting"),
    "vote_settings": (ALL, NONE, "Changing the number of dots"),
    "reveal_votes": (ALL, NONE, "Showing the votes"),
    "add_cause": (ALL, _s(A), "Adding a reason (5 whys)"),
    "add_success": (ALL, _s(A), "Adding what success looks like"),
    "remove_cause": (ALL, NONE, "Removing a reason"),
    "remove_success": (ALL, NONE, "Removing a success statement"),
    # Action plans and the sharing plan
    "add_action": (ALL, _s(AP), "Adding an action"),
    "edit_action": (ALL, NONE, "Changing an action"),
    "set_action_status": (ALL, NONE, "Changing an action's progress"),
    "remove_action": (ALL, NONE, "Removing an action"),
    "add_share": (ALL, _s(S), "Adding to the sharing plan"),
    "set_share_status": (ALL, NONE, "Changing a sharing plan line's progress"),
    "remove_share": (ALL, NONE, "Removing a sharing plan line"),
}


def role_of(actor) -> str | None:
    if actor is None:
        return None
    return FACILITATOR if actor.is_facilitator else DELEGATE


def stages_for(op: str, role: str) -> frozenset:
    facilitator, delegate, _ = TABLE[op]
    return facilitator if role == FACILITATOR else delegate


def _stage_list(stages) -> str:
    labels = [label for value, label in Stage.choices if value in stages]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def refusal(actor, op: str, stage: str) -> str | None:
    """Why ``actor`` may not do ``op`` at ``stage``, in plain words; ``None`` when they may."""
    role = role_of(actor)
    if role is None:
        return "Join the workshop first."
    if op not in TABLE:
        return "The app does not know that kind of change."
    stages = stages_for(op, role)
    if stage in stages:
        return None
    if not stages:
        return "Only the facilitator can do that."
    now = Stage(stage).label if stage in Stage.values else stage
    if op == "vote":
        return (f"Voting is not open now. The facilitator opens it by moving to “{Stage.ANALYSIS.label}”; "
                f"the workshop is at “{now}”.")
    return f"{TABLE[op][2]} happens during {_stage_list(stages)}. The workshop is at “{now}” now."


def allowed(actor, op: str, workshop) -> bool:
    """May ``actor`` do ``op`` in ``workshop`` now? For pages deciding what to offer."""
    return refusal(actor, op, workshop.stage) is None


def allowed_ops(actor, workshop) -> frozenset:
    """Every operation ``actor`` may do in ``workshop`` now (templates: ``{% if "merge_clusters" in can %}``)."""
    return frozenset(op for op in TABLE if refusal(actor, op, workshop.stage) is None)
