"""Every URL, every role: one table of who gets what.

The URL resolver is walked for every pattern the project serves; parameters are
filled from the demo data (a review with names whose person agreed, one whose
person refused, the demo's workshop, profile, boards, actions). Each URL is
fetched (GET) as every role, as someone not signed in, and as a workshop
delegate who joined with the code (no account). The status must be the one in
:data:`EXPECTED`. A URL missing from the table fails the test, so a new URL
has to be classified before it can be merged.

Statuses: 200 shown; 302 sent elsewhere (sign-in page, or the join page for a
workshop); 403 refused; 404 not found; 405 GET not allowed (POST-only actions,
whose POST is checked by each app's own tests); 409 the card PDF refused until
flagged cards are checked.

The Django admin (every ``admin/`` URL) is one rule: everyone but the
administrator is sent to a sign-in page for every admin URL.
"""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = ["admin", "facilitator", "commissioner", "provider", "reviewer", "viewer", "anonymous", "delegate"]

# Short names for the rows below.
A, S, R, F, N, M = 200, 302, 403, 404, 405, 409


def row(admin, facilitator, commissioner, provider, reviewer, viewer, anonymous, delegate):
    return dict(zip(ROLES, (admin, facilitator, commissioner, provider, reviewer, viewer, anonymous, delegate)))



#: (URL name, case) -> expected status per role. ``case`` tells apart the same URL filled two ways.
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ('login', ''): row(A, A, A, A, A, A, A, A),
    # Probes for the proxy and the container runtime (issue 24): anyone, no data.
    ('healthz', ''): row(A, A, A, A, A, A, A, A),
    ('readyz', ''): row(A, A, A, A, A, A, A, A),
    ('logout', ''): row(N, N, N, N, N, N, S, S),
    # Council sign-in (goldenthread/accounts): not found until a council sets it up (tests/accounts).
    ('oidc_authentication_init', ''): row(F, F, F, F, F, F, F, F),
    ('oidc_authentication_callback', ''): row(F, F, F, F, F, F, F, F),
    ('council_sign_in_failed', ''): row(A, A, A, A, A, A, A, A),
    # Password reset by e-mail: open to everyone (it never says whether an address has an account); a link
    # with a bad token is a "this link does not work" page.
    ('password_reset', ''): row(A, A, A, A, A, A, A, A),
    ('password_reset_done', ''): row(A, A, A, A, A, A, A, A),
    ('password_reset_confirm', ''): row(A, A, A, A, A, A, A, A),
    ('password_reset_complete', ''): row(A, A, A, A, A, A, A, A),
    ('home', ''): row(A, A, A, A, A, A, S, S),
    ('cycle_new', ''): row(A, A, A, R, R, R, S, S),
    ('cycle', ''): row(A, A, A, A, A, A, S, S),
    ('review_list', ''): row(A, A, A, A, A, A, S, S),
    ('review_new', ''): row(A, A, R, A, A, R, S, S),
    ('review_import', ''): row(A, A, R, A, A, R, S, S),
    ('cards', ''): row(A, A, A, A, A, A, S, S),
    ('card_check', ''): row(N, N, N, N, N, N, S, S),
    # The demo has cards the anonymiser was unsure about: printing waits until someone checks them.
    ('cards_pdf', ''): row(M, M, M, M, M, M, S, S),
    ('review', 'agreed'): row(A, A, A, A, A, A, S, S),
    # Everyone signed in sees that a refused review exists; only admin and its facilitator see names
    # (tests/reviews/test_consent_and_access.py checks the contents).
    ('review', 'refused'): row(A, A, A, A, A, A, S, S),
    ('import_template', ''): row(A, A, A, A, A, A, S, S),
    ('people', ''): row(A, A, A, A, A, A, S, S),
    ('pcr_start', ''): row(A, R, R, A, A, R, S, S),
    ('pcr_tasks', ''): row(A, R, R, A, A, R, S, S),
    ('pcr_finish', ''): row(N, N, N, N, N, N, S, S),
    ('pcr_profile', ''): row(A, R, R, A, A, R, S, S),
    ('pcr_step', ''): row(S, R, R, S, S, R, S, S),
    ('profile', ''): row(A, R, R, A, A, R, S, S),
    ('profile_edit', ''): row(A, R, R, A, A, R, S, S),
    ('profile_version', ''): row(A, R, R, A, A, R, S, S),
    ('profile_print', ''): row(A, R, R, A, A, R, S, S),
    ('profile_pdf', ''): row(A, R, R, A, A, R, S, S),
    # Subject access and erasure: administrators only.
    ('person_data', ''): row(A, R, R, R, R, R, S, S),
    ('person_data_json', ''): row(A, R, R, R, R, R, S, S),
    ('person_erase', ''): row(A, R, R, R, R, R, S, S),
    ('review_api', 'agreed'): row(A, R, R, A, A, R, S, S),
    # Correcting a review and withdrawing consent (issue 22): those who may see it with names -- the
    # administrator, its review facilitator, and the provider manager of its service unless consent was
    # refused (tests/reviews/test_corrections_and_withdrawal.py checks the POSTs).
    ('review_correct', 'agreed'): row(A, R, R, A, A, R, S, S),
    ('review_correct', 'refused'): row(A, R, R, R, A, R, S, S),
    ('statement_correct', 'agreed'): row(A, R, R, A, A, R, S, S),
    ('statement_correct', 'refused'): row(A, R, R, R, A, R, S, S),
    ('consent_withdraw', 'agreed'): row(A, R, R, A, A, R, S, S),
    ('consent_withdraw', 'refused'): row(A, R, R, R, A, R, S, S),
    ('consent_give', 'agreed'): row(A, R, R, A, A, R, S, S),
    ('consent_give', 'refused'): row(A, R, R, R, A, R, S, S),
    # Refused consent: the provider manager of the service loses access; the facilitator who recorded it keeps it.
    ('review_api', 'refused'): row(A, R, R, R, A, R, S, S),
    ('indicators', ''): row(A, A, A, A, A, A, S, S),
    ('planning', ''): row(A, A, A, A, A, A, S, S),
    ('planning_new', ''): row(A, A, R, A, R, R, S, S),
    ('planning_strategic', ''): row(S, S, S, S, S, S, S, S),
    ('workshop:list', ''): row(A, A, A, A, A, A, S, S),
    ('workshop:new', ''): row(A, A, A, R, R, R, S, S),
    ('workshop:join', ''): row(A, A, A, A, A, A, A, A),
    ('workshop:join_code', ''): row(A, A, A, A, A, A, A, A),
    # Workshop pages: people who run workshops and delegates who joined; others are sent to the join page.
    ('workshop:home', ''): row(A, A, A, S, S, S, S, A),
    ('workshop:call', ''): row(A, A, A, S, S, S, S, A),
    ('workshop:screen', ''): row(A, A, A, S, S, S, S, A),
    # The theme engine's "place the rest" proposal: the facilitator's alone (a delegate gets 403).
    ('workshop:place_rest', ''): row(A, A, A, S, S, S, S, R),
    ('workshop:board', 'own'): row(A, A, A, S, S, S, S, A),
    ('workshop:board', "other workshop's"): row(F, F, F, S, S, S, S, F),
    ('workshop:theme', ''): row(A, A, A, S, S, S, S, A),
    ('workshop:votes', ''): row(A, A, A, S, S, S, S, A),
    ('workshop:actions', ''): row(A, A, A, S, S, S, S, A),
    ('workshop:action_edit', ''): row(A, A, A, S, S, S, S, A),
    ('workshop:sharing', ''): row(A, A, A, S, S, S, S, A),
    # Removing an action is not a delegate's to do (workshop rules): the confirm page sends a delegate back
    # with the reason instead of asking "are you sure?".
    ('workshop:remove', ''): row(A, A, A, S, S, S, S, S),
    ('workshop:do', ''): row(N, N, N, S, S, S, S, N),
    ('reports:page', ''): row(A, A, A, A, A, A, S, S),
    ('reports:download', 'data.csv'): row(A, A, A, A, A, A, S, S),
    ('reports:download', 'full.html'): row(A, A, A, A, A, A, S, S),
    # The whole council's confirmed batch themes: the shared version, like every report download.
    ('reports:council_download', 'csv'): row(A, A, A, A, A, A, S, S),
    ('reports:thread', ''): row(A, A, A, A, A, A, S, S),
    ('reports:matches', ''): row(A, A, A, R, R, R, S, S),
    ('reports:action_thread', ''): row(A, A, A, A, A, A, S, S),
    ('reports:theme_thread', ''): row(A, A, A, A, A, A, S, S),
    # Outcomes (goldenthread/outcomes, reporting/outcomes.py): everyone signed in reads the outcome areas and each
    # outcome's page (the shared version); only people who run cycles import the framework and measures and decide
    # which themes speak to which outcome (tests/outcomes checks the POSTs).
    ('outcomes:index', ''): row(A, A, A, A, A, A, S, S),
    ('outcomes:import', ''): row(A, A, A, R, R, R, S, S),
    ('outcomes:links', ''): row(A, A, A, R, R, R, S, S),
    ('reports:outcome', ''): row(A, A, A, A, A, A, S, S),
    # The market (goldenthread/market, reporting/market.py): everyone signed in reads the directory, the market
    # view and its summary (the shared version); only people who run cycles change the directory and decide which
    # future themes ask for which kind of support (tests/market checks the POSTs).
    ('market:index', ''): row(A, A, A, A, A, A, S, S),
    ('market:import', ''): row(A, A, A, R, R, R, S, S),
    ('market:add', ''): row(A, A, A, R, R, R, S, S),
    ('market:edit', ''): row(A, A, A, R, R, R, S, S),
    ('market:remove', ''): row(A, A, A, R, R, R, S, S),
    ('market:links', ''): row(A, A, A, R, R, R, S, S),
    ('reports:market', ''): row(A, A, A, A, A, A, S, S),
    ('reports:market_summary', ''): row(A, A, A, A, A, A, S, S),
    ('reports:market_summary_file', 'pdf'): row(A, A, A, A, A, A, S, S),
    # Tenders (goldenthread/tenders, reporting/tender_pack.py): everyone signed in reads a tender, "how we
    # decided" and the pack (always the shared version); commissioners and administrators set them up
    # (tests/tenders checks the POSTs). The people's panel needs no account: a member's personal link puts them in
    # the session; without it the panel's pages refuse everyone, and a link that is not real is "not found".
    ('tenders:index', ''): row(A, A, A, A, A, A, S, S),
    ('tenders:new', ''): row(A, R, A, R, R, R, S, S),
    ('tenders:tender', ''): row(A, A, A, A, A, A, S, S),
    ('tenders:themes', ''): row(A, R, A, R, R, R, S, S),
    ('tenders:decided', ''): row(A, A, A, A, A, A, S, S),
    ('tenders:remove', ''): row(N, N, N, N, N, N, S, S),
    ('tenders:panel_home', ''): row(R, R, R, R, R, R, R, R),
    ('tenders:panel_join', ''): row(F, F, F, F, F, F, F, F),
    ('tenders:panel_bid', ''): row(R, R, R, R, R, R, R, R),
    ('reports:tender_pack', ''): row(A, A, A, A, A, A, S, S),
    ('audit', ''): row(A, R, R, R, R, R, S, S),
    ('lists', ''): row(A, A, A, R, R, R, S, S),
    ('list_page', ''): row(A, A, A, R, R, R, S, S),
    ('list_rename', ''): row(A, A, A, R, R, R, S, S),
    ('list_remove', ''): row(A, A, A, R, R, R, S, S),
    # Batch theming over the database: only people who run cycles (administrator, facilitator, commissioner).
    ('batch:start', ''): row(A, A, A, R, R, R, S, S),
    ('batch:run', ''): row(A, A, A, R, R, R, S, S),
    ('batch:confirm', ''): row(N, N, N, N, N, N, S, S),
    ('batch:resume', ''): row(N, N, N, N, N, N, S, S),
    ('batch:restart', ''): row(N, N, N, N, N, N, S, S),
    ('batch:theme', ''): row(A, A, A, R, R, R, S, S),
    ('batch:move', ''): row(N, N, N, N, N, N, S, S),
    ('batch:start_workshop', ''): row(N, N, N, N, N, N, S, S),
    # The programme around the workshop (goldenthread/programme): everyone signed in reads the plan,
    # the sample, the workshops, evaluations and follow-up; only people who run workshops (admin,
    # facilitator, commissioner) change the purpose, the decisions, the next cycle and the delegate list.
    ('programme:planner', ''): row(A, A, A, A, A, A, S, S),
    ('programme:purpose', ''): row(A, A, A, R, R, R, S, S),
    ('programme:decisions', ''): row(A, A, A, R, R, R, S, S),
    ('programme:sample', ''): row(A, A, A, A, A, A, S, S),
    ('programme:workshops', ''): row(A, A, A, A, A, A, S, S),
    ('programme:evaluations', ''): row(A, A, A, A, A, A, S, S),
    ('programme:follow_up', ''): row(A, A, A, A, A, A, S, S),
    ('programme:next_cycle', ''): row(A, A, A, R, R, R, S, S),
    # The delegate list names people and their access needs: workshop runners only.
    ('programme:delegates', ''): row(A, A, A, R, R, R, S, S),
    ('programme:invitee_edit', ''): row(A, A, A, R, R, R, S, S),
    ('programme:invitation', ''): row(A, A, A, A, A, A, S, S),
    ('programme:invitation_easy', ''): row(A, A, A, A, A, A, S, S),
    ('programme:invitation_pdf', ''): row(A, A, A, A, A, A, S, S),
    ('programme:invitation_easy_pdf', ''): row(A, A, A, A, A, A, S, S),
    # The evaluation form: a delegate who joined (no account) fills in their own; workshop runners enter
    # paper forms; others are refused (not sent to sign in: a delegate has no account to sign in with).
    ('programme:evaluate', ''): row(A, A, A, R, R, R, R, A),
    ('programme:action', ''): row(A, A, A, A, A, A, S, S),
    # "You said, we did" comments: open to anyone with the cycle's comment code; moderated before shown.
    ('programme:comment_start', ''): row(A, A, A, A, A, A, A, A),
    ('programme:comment', ''): row(A, A, A, A, A, A, A, A),
    ('reports:you_said', ''): row(A, A, A, A, A, A, S, S),
    ('reports:you_said_pdf', ''): row(A, A, A, A, A, A, S, S),
    # Individual Service Funds (goldenthread/providers): the list shows each user only the funds they may
    # see; a fund, its person and its service's team only to the administrator and the provider manager of
    # that service (the person's own account is checked in tests/providers).
    ('providers:index', ''): row(A, A, A, A, A, A, S, S),
    ('providers:funds_export', ''): row(A, R, R, A, R, R, S, S),
    ('providers:person_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:person', ''): row(A, R, R, A, R, R, S, S),
    ('providers:person_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:fund_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:accounts', ''): row(A, R, R, A, R, R, S, S),
    ('providers:four_plus_one_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:learning_log_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:doughnut_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:job_spec_pdf', ''): row(A, R, R, A, R, R, S, S),
    ('providers:matching', ''): row(A, R, R, A, R, R, S, S),
    ('providers:four_plus_one_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:learning_log_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:doughnut_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:job_spec', ''): row(A, R, R, A, R, R, S, S),
    ('providers:wishes', ''): row(A, R, R, A, R, R, S, S),
    ('providers:team', ''): row(A, R, R, A, R, R, S, S),
    ('providers:staff_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:staff_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:fund', ''): row(A, R, R, A, R, R, S, S),
    ('providers:record', ''): row(A, R, R, A, R, R, S, S),
    ('providers:correct', ''): row(A, R, R, A, R, R, S, S),
    # A second manager's approval to go below nothing (issue 22): managers of the service and administrators.
    ('providers:approval_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:plan_line_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:plan_line_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:allocation', ''): row(A, R, R, A, R, R, S, S),
    ('providers:rules', ''): row(A, R, R, A, R, R, S, S),
    ('providers:band_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:band_edit', ''): row(A, R, R, A, R, R, S, S),
    ('providers:fund_export', ''): row(A, R, R, A, R, R, S, S),
    ('providers:statement', ''): row(A, R, R, A, R, R, S, S),
    ('providers:easy_statement', ''): row(A, R, R, A, R, R, S, S),
    ('providers:statement_json', ''): row(A, R, R, A, R, R, S, S),
    ('providers:statement_pdf', ''): row(A, R, R, A, R, R, S, S),
    ('providers:easy_statement_pdf', ''): row(A, R, R, A, R, R, S, S),
    # POST-only: unlinking an account, removing a plan line.
    ('providers:account_unlink', ''): row(N, N, N, N, N, N, S, S),
    ('providers:plan_line_remove', ''): row(N, N, N, N, N, N, S, S),
    # POST-only: issuing a month's statement, which closes the month (tests/providers/test_money_controls.py).
    ('providers:statement_issue', ''): row(N, N, N, N, N, N, S, S),
    ('providers:redivide', 'shared'): row(A, R, R, A, R, R, S, S),
    ('providers:redivide', "one person's"): row(F, R, R, F, R, R, S, S),
    # Shared tenancies on pages (issue 26): the service's provider manager and administrators only.
    ('providers:shared_new', ''): row(A, R, R, A, R, R, S, S),
    ('providers:shared_people', 'shared'): row(A, R, R, A, R, R, S, S),
    ('providers:shared_people', "one person's"): row(F, R, R, F, R, R, S, S),
    ('providers:shared_remove', ''): row(N, N, N, N, N, N, S, S),
    # Inviting family by e-mail: withdrawing is POST-only; the link a family member opens needs no account, and
    # a link that is not a real, open invitation is a "this link does not work" page (404) for everyone.
    ('providers:invitation_withdraw', ''): row(N, N, N, N, N, N, S, S),
    ('providers:invitation', ''): row(F, F, F, F, F, F, F, F),
}


def _cases(name: str, demo: dict) -> dict[str, list]:
    """The URL's arguments for each case, from the demo data."""
    d = demo
    w, code = d["workshop"], d["workshop"].code
    ref = d["profile"].person_ref
    table = {
        "cycle": ["slug"], "review_list": ["slug"], "review_new": ["slug"], "review_import": ["slug"],
        "cards": ["slug"], "cards_pdf": ["slug"], "pcr_start": ["slug"], "reports:page": ["slug"],
        "reports:thread": ["slug"], "reports:matches": ["slug"],
        "reports:you_said": ["slug"], "reports:you_said_pdf": ["slug"],
        "batch:start": ["slug"],
        "programme:planner": ["slug"], "programme:purpose": ["slug"], "programme:decisions": ["slug"],
        "programme:sample": ["slug"], "programme:workshops": ["slug"], "programme:evaluations": ["slug"],
        "programme:follow_up": ["slug"], "programme:next_cycle": ["slug"], "outcomes:links": ["slug"],
        "market:links": ["slug"], "reports:market": ["slug"], "reports:market_summary": ["slug"],
    }
    if name in table:
        return {"": [d["cycle"]]}
    return {
        "card_check": {"": [d["cycle"], d["agreed"].statements.first().pk]},
        "password_reset_confirm": {"": ["MQ", "not-a-real-token"]},
        "list_page": {"": ["areas"]},
        "outcomes:import": {"": ["measures"]}, "market:import": {"": ["provisions"]},
        "market:add": {"": ["provisions"]}, "market:edit": {"": ["provisions", d["provision"].pk]},
        "market:remove": {"": ["provisions", d["provision"].pk]},
        "reports:market_summary_file": {"pdf": [d["cycle"], "pdf"]}, "reports:outcome": {"": [d["outcome"].pk]},
        "list_rename": {"": ["areas", d["agreed"].area_id]}, "list_remove": {"": ["areas", d["agreed"].area_id]},
        "review": {"agreed": [d["agreed"].pk], "refused": [d["refused"].pk]},
        "review_api": {"agreed": [d["agreed"].pk], "refused": [d["refused"].pk]},
        "review_correct": {"agreed": [d["agreed"].pk], "refused": [d["refused"].pk]},
        "consent_withdraw": {"agreed": [d["agreed"].pk], "refused": [d["refused"].pk]},
        "consent_give": {"agreed": [d["agreed"].pk], "refused": [d["refused"].pk]},
        "statement_correct": {"agreed": [d["agreed"].pk, d["agreed"].statements.first().pk],
                              "refused": [d["refused"].pk, d["refused"].statements.first().pk]},
        "import_template": {"": ["csv"]},
        "pcr_tasks": {"": [d["pcr"].pk]}, "pcr_finish": {"": [d["pcr"].pk]}, "pcr_profile": {"": [d["pcr"].pk]},
        "pcr_step": {"": [d["pcr"].pk, "appreciate"]},
        "profile": {"": [ref]}, "profile_edit": {"": [ref]},
        "profile_version": {"": [ref, d["profile"].versions.first().pk]}, "profile_print": {"": [ref]}, "profile_pdf": {"": [ref]},
        "person_data": {"": [ref]}, "person_data_json": {"": [ref]}, "person_erase": {"": [ref]},
        "planning_new": {"": ["team"]},
        "workshop:join_code": {"": [code]}, "workshop:home": {"": [code]}, "workshop:call": {"": [code]},
        "workshop:screen": {"": [code]}, "workshop:votes": {"": [code]}, "workshop:actions": {"": [code]},
        "workshop:sharing": {"": [code]}, "workshop:place_rest": {"": [code, "not_working"]},
        "workshop:board": {"own": [code, d["board"].pk], "other workshop's": [code, d["other_board"].pk]},
        "workshop:theme": {"": [code, d["theme"].pk]},
        "workshop:action_edit": {"": [code, d["action"].pk]},
        "workshop:remove": {"": [code, "action", d["action"].pk]},
        "workshop:do": {"": [code, "move"]},
        "reports:download": {"data.csv": [d["cycle"], "data", "csv"], "full.html": [d["cycle"], "full", "html"]},
        "reports:action_thread": {"": [d["any_action"].pk]},
        "reports:theme_thread": {"": [d["theme"].pk]},
        **{f"tenders:{n}": {"": [d["tender"].pk]} for n in ("tender", "themes", "decided")},
        "tenders:remove": {"": [d["tender"].pk, "bid", d["tender"].bids.first().pk]},
        "tenders:panel_join": {"": ["not-a-real-link"]},
        "tenders:panel_bid": {"": [d["tender"].pk, d["tender"].bids.first().pk]},
        "reports:tender_pack": {"": [d["tender"].pk, "pdf"]},
        # The programme around the workshop (the demo's programme is filled in for this workshop).
        # A batch run over the database and one of its proposed themes.
        "batch:run": {"": [d["batch_run"].pk]}, "batch:confirm": {"": [d["batch_run"].pk]},
        "batch:resume": {"": [d["batch_run"].pk]}, "batch:restart": {"": [d["batch_run"].pk]},
        "batch:theme": {"": [d["batch_run"].pk, d["batch_theme"].pk]},
        "batch:move": {"": [d["batch_run"].pk, d["batch_theme"].pk]},
        "batch:start_workshop": {"": [d["batch_run"].pk]},
        "reports:council_download": {"csv": [d["cycle"], "csv"]},
        "programme:delegates": {"": [code]}, "programme:invitation": {"": [code]},
        "programme:invitation_easy": {"": [code]}, "programme:invitation_pdf": {"": [code]},
        "programme:invitation_easy_pdf": {"": [code]}, "programme:evaluate": {"": [code]},
        "programme:invitee_edit": {"": [code, d["invitee"].pk]},
        "programme:action": {"": [d["action_update"].action_id]},
        "programme:comment": {"": [d["comment_code"]]},
        # Providers: Sally's fund and records, her service's team.
        "providers:funds_export": {"": ["csv"]},
        **{f"providers:{n}": {"": [d["person"].pk]} for n in (
            "person", "person_edit", "fund_new", "accounts", "matching", "four_plus_one_new", "learning_log_new",
            "doughnut_new", "wishes")},
        "providers:account_unlink": {"": [d["person"].pk, d["person_user"].pk]},
        "providers:four_plus_one_edit": {"": [d["person"].pk, d["four_plus_one"].pk]},
        "providers:learning_log_edit": {"": [d["person"].pk, d["learning_log"].pk]},
        "providers:doughnut_edit": {"": [d["person"].pk, d["doughnut"].pk]},
        "providers:job_spec": {"": [d["person"].pk, d["doughnut"].pk]},
        "providers:job_spec_pdf": {"": [d["person"].pk, d["doughnut"].pk]},
        "providers:team": {"": [d["service"].pk]}, "providers:staff_new": {"": [d["service"].pk]},
        "providers:staff_edit": {"": [d["service"].pk, d["staff"].pk]},
        **{f"providers:{n}": {"": [d["fund"].pk]} for n in (
            "fund", "record", "plan_line_new", "allocation", "rules", "band_new", "approval_new")},
        "providers:redivide": {"shared": [d["shared_fund"].pk], "one person's": [d["fund"].pk]},
        "providers:correct": {"": [d["fund"].pk, d["entry"].pk]},
        "providers:shared_new": {"": [d["service"].pk]},
        "providers:shared_people": {"shared": [d["shared_fund"].pk], "one person's": [d["fund"].pk]},
        "providers:shared_remove": {"": [d["shared_fund"].pk, d["person"].pk]},
        "providers:invitation_withdraw": {"": [d["person"].pk, 1]},
        "providers:invitation": {"": ["not-a-real-token"]},
        "providers:plan_line_edit": {"": [d["fund"].pk, d["plan_line"].pk]},
        "providers:plan_line_remove": {"": [d["fund"].pk, d["plan_line"].pk]},
        "providers:band_edit": {"": [d["fund"].pk, d["band"].pk]},
        "providers:fund_export": {"": [d["fund"].pk, "csv"]},
        **{f"providers:{n}": {"": [d["fund"].pk, 2026, 11]} for n in (
            "statement", "easy_statement", "statement_json", "statement_pdf", "easy_statement_pdf",
            "statement_issue")},
    }.get(name, {"": []})


def _client(role: str, demo: dict) -> Client:
    client = Client()
    if role == "delegate":
        from goldenthread.workshops.access import remember_delegate

        session = client.session
        remember_delegate(session, demo["workshop"], demo["delegate"])
        session.save()
    elif role != "anonymous":
        client.force_login(User.objects.get(username=role))
    return client


def _status(client, url) -> int:
    return client.get(url).status_code


def test_every_url_is_in_the_table_and_every_role_gets_what_the_table_says(demo):
    clients = {role: _client(role, demo) for role in ROLES}
    unclassified, wrong, actual = [], [], {}
    admin_urls = []
    for name, route, pattern in all_patterns():
        if route.startswith("admin/"):
            admin_urls.append(route)
            continue
        if route.startswith("api/v1/"):
            # The machine API signs in with a token, not a session: its scopes are tested in tests/api.
            # Here only: a session with no token gets 401 (test_the_api_refuses_a_session_without_a_token).
            continue
        for case, args in _cases(name, demo).items():
            key = (name, case)
            url = reverse(name, args=args)
            got = {role: _status(clients[role], url) for role in ROLES}
            actual[key] = got
            if key not in EXPECTED:
                unclassified.append(key)
            elif got != EXPECTED[key]:
                wrong.append((key, url, {r: (EXPECTED[key][r], got[r]) for r in ROLES if got[r] != EXPECTED[key][r]}))
    if unclassified and __import__("os").environ.get("MATRIX_DISCOVER"):
        for key, got in actual.items():
            print(f"    {key!r}: row({', '.join(str(got[r]) for r in ROLES)}),")
    assert not unclassified, f"URLs missing from the permission table: {unclassified}"
    assert not wrong, "\n".join(f"{k} {u}: (expected, got) {d}" for k, u, d in wrong)
    stale = set(EXPECTED) - set(actual)
    assert not stale, f"rows for URLs that no longer exist: {stale}"
    assert len(admin_urls) > 20
    _every_admin_url_sends_everyone_but_the_administrator_to_the_admin_sign_in(clients)


def _every_admin_url_sends_everyone_but_the_administrator_to_the_admin_sign_in(clients):
    import re

    checked, wrong = 0, []
    for name, route, pattern in all_patterns():
        if not route.startswith("admin/"):
            continue
        # Fill every parameter with "1": the admin checks staff status before it looks anything up.
        path = "/" + re.sub(r"<[^>]+>", "1", route).replace("(?P<url>.*)$", "anything").lstrip("^")
        for role, client in clients.items():
            if role == "admin":
                continue
            response = client.get(path)
            if route == "admin/login/":
                ok = response.status_code == 200  # the admin's own sign-in page
            elif route == "admin/logout/":
                ok = response.status_code in (302, 405)  # signing out is a POST
            else:
                # Signed in: the admin's sign-in page; not signed in: the site's (LoginRequiredMiddleware) first.
                ok = response.status_code == 302 and ("/admin/login/" in response["Location"]
                                                      or "/accounts/login/" in response["Location"])
            if not ok:
                wrong.append((path, role, response.status_code))
        checked += 1
    assert not wrong, wrong
    assert checked > 20
    admin = clients["admin"]
    assert admin.get("/admin/").status_code == 200
    assert admin.get("/admin/core/accessrecord/").status_code == 200


@pytest.fixture
def demo(db, full_demo_data):
    return _demo_objects()


def _demo_objects() -> dict:
    from goldenthread.reviews.models import OnePageProfile, Review
    from goldenthread.workshops.models import Action, Board, Cluster, Workshop

    workshop = Workshop.objects.order_by("pk").first()
    board = workshop.boards.order_by("pk").first()
    theme = Cluster.objects.in_workshop(workshop).themes().order_by("pk").first()
    action = workshop.actions.order_by("pk").first()
    profile = OnePageProfile.objects.order_by("pk").first()
    from goldenthread.core.models import StaffProfile

    # Two finished reviews of a service the provider manager manages, both facilitated by the reviewer;
    # the second person refused consent.
    services = StaffProfile.objects.get(user__username="provider").services.all()
    agreed, refused = Review.objects.filter(service__in=services, consent_given=True, status="complete",
                                            items__isnull=True).order_by("pk")[:2]
    reviewer = User.objects.get(username="reviewer")
    Review.objects.filter(pk__in=[agreed.pk, refused.pk]).update(facilitated_by=reviewer)
    Review.objects.filter(pk=refused.pk).update(consent_given=False)
    agreed.refresh_from_db()
    refused.refresh_from_db()
    pcr = agreed  # the demo has no guided reviews; the task list works for any review
    delegate = workshop.delegates.order_by("pk").first()
    from goldenthread.programme.models import ActionUpdate, Invitee, Plan
    from goldenthread.providers.models import (Doughnut, Fund, FlexRule, FourPlusOne, LearningLog, LedgerEntry,
                                               PlanLine, StaffMember, SupportedPerson)

    # The demo's programme belongs to the 2025 workshop: the matrix's workshop must be that one.
    invitee = Invitee.objects.filter(workshop=workshop).order_by("pk").first()
    assert invitee is not None, "the demo programme's delegate list is on another workshop"
    person = SupportedPerson.objects.get(ref="P-ISF-01")
    fund = person.funds.order_by("pk").first()
    extra = {
        "invitee": invitee,
        "action_update": ActionUpdate.objects.filter(action__workshop=workshop).order_by("pk").first(),
        "comment_code": Plan.objects.get(cycle=workshop.cycle).comment_code,
        "shared_fund": Fund.objects.filter(person__isnull=True, name__contains="shared").order_by("pk").first(),
        "person": person, "person_user": User.objects.get(username="sally"), "fund": fund,
        "service": person.service,
        "four_plus_one": FourPlusOne.objects.filter(person=person).order_by("pk").first(),
        "learning_log": LearningLog.objects.filter(person=person).order_by("pk").first(),
        "doughnut": Doughnut.objects.filter(person=person).order_by("pk").first(),
        "staff": StaffMember.objects.filter(service=person.service).order_by("pk").first(),
        "entry": LedgerEntry.objects.filter(fund=fund).order_by("pk").first(),
        "plan_line": PlanLine.objects.filter(fund=fund).order_by("pk").first(),
        "band": FlexRule.objects.filter(fund=fund).order_by("pk").first(),
    }
    from goldenthread.batch.models import BatchRun, ProposedTheme

    run = BatchRun.objects.create(work_dir="/nonexistent/matrix-run", status=BatchRun.Status.DONE,
                                  started_by=User.objects.get(username="facilitator"))
    run.cycles.add(workshop.cycle)
    extra["batch_run"] = run
    extra["batch_theme"] = ProposedTheme.objects.create(run=run, number=1, kind="not_working",
                                                        name="I cannot get home at night", size=0)
    confirmed = BatchRun.objects.create(work_dir="/nonexistent/matrix-run-confirmed", status=BatchRun.Status.CONFIRMED,
                                        confirmed_at=timezone.now())
    confirmed.cycles.add(workshop.cycle)
    from goldenthread.outcomes.models import OutcomeArea

    extra["outcome"] = OutcomeArea.objects.order_by("pk").first()
    from goldenthread.market.models import Provision

    extra["provision"] = Provision.objects.order_by("pk").first()

    from goldenthread.tenders.models import Tender

    extra["tender"] = Tender.objects.order_by("pk").first()
    missing = [k for k, v in extra.items() if v is None]
    assert not missing, f"the demo data has none of: {missing}"
    return extra | {"cycle": workshop.cycle.slug, "workshop": workshop, "board": board, "theme": theme, "action": action,
            "profile": profile, "agreed": agreed, "refused": refused, "pcr": pcr, "delegate": delegate,
            "other_board": Board.objects.exclude(workshop=workshop).order_by("pk").first(),
            "any_action": Action.objects.order_by("pk").first()}


def test_an_account_with_no_role_sees_only_the_no_access_page(demo):
    """Deny by default: an account made without a role (or a family account whose link was removed) gets the
    "no access yet" page at every address the site serves, the admin included, and never a page with data."""
    nobody = User.objects.create_user("no-role-yet", password="a-long-pass-phrase")
    client = Client()
    client.force_login(nobody)
    checked, leaked = 0, []
    for name, route, _ in all_patterns():
        if route.startswith(("api/v1/", "admin/", "accounts/", "oidc/")) or name in ("login", "logout", "healthz", "readyz"):  # noqa: E501
            continue
        for args in _cases(name, demo).values():
            url = reverse(name, args=args)
            response = client.get(url)
            if response.status_code != 403 or b"You do not have access yet" not in response.content:
                leaked.append((url, response.status_code))
            checked += 1
    response = client.get("/admin/")
    assert response.status_code == 403 and b"You do not have access yet" in response.content
    assert not leaked, leaked
    assert checked > 100
    assert client.get(reverse("login")).status_code == 200                 # can still sign in as someone else
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302               # and sign out


def all_patterns(resolver=None, prefix="", namespace=""):
    """(name, route, pattern) for every URL pattern, namespaces included."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None, prefix + str(p.pattern), p)


#: API routes that answer without a token: the schema and its documentation page are public.
API_PUBLIC = {"api_v1:openapi-json", "api_v1:openapi-view"}


def test_the_api_refuses_a_session_without_a_token(db):
    """A signed-in session is not an API credential: every /api/v1/ route answers 401 without a token.

    The token scopes themselves are tested in tests/api/test_scopes.py.
    """
    import re

    from django.contrib.auth.models import User

    from goldenthread.core import roles

    roles.ensure_roles()
    admin = User.objects.create_superuser("admin", "a@example.org", "x")
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(admin)
    checked, wrong = 0, []
    for name, route, pattern in all_patterns():
        if not route.startswith("api/v1/"):
            continue
        path = "/" + re.sub(r"<[^>]+>", "no-such-thing", route)
        for who, client in (("admin session", signed_in), ("anonymous", anonymous)):
            status = client.get(path).status_code
            if name in API_PUBLIC:
                ok = status == 200
            elif name == "api_v1:api-root":
                ok = status == 404  # the prefix itself has no operation
            else:
                # 405: a POST-only route; its POST is refused the same way (tests/api/test_scopes.py).
                ok = status == 401 or (status == 405 and client.post(path).status_code in (401, 403))
            if not ok:
                wrong.append((path, who, status))
        checked += 1
    assert checked >= 10
    assert not wrong, wrong
