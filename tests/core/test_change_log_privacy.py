"""The change log (django-auditlog) says who changed which row and which fields, and never holds anyone's words.

Every text field is hidden unless its registration declares it safe, and a row's label is the model and its key
(``core/audit.py``). Names and statements are invented.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from auditlog.models import LogEntry
from auditlog.registry import auditlog

from goldenthread.core.audit import HIDDEN, declared_clear, hidden_fields, scrub_log
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.models import Attendee, OnePageProfile, Review, Statement
from goldenthread.reviews.saving import save_reviews


def _entries_text() -> str:
    """Every entry's label and changes, as one text to search."""
    return "\n".join(f"{e.object_repr}\t{json.dumps(e.changes)}\t{e.changes_text}\t{json.dumps(e.serialized_data)}"
                     for e in LogEntry.objects.all())


def _hits(haystack: str, needles) -> list[str]:
    """The needles found in the haystack as whole words (none found: ``[]``), in one pass over it."""
    needles = sorted(set(needles), key=len, reverse=True)
    if not needles:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, needles)) + r")(?!\w)")
    return sorted(set(pattern.findall(haystack)))


def _people_words():
    """Every name and every statement held in the database now (the demo's, or a test's)."""
    from goldenthread.programme.models import Invitee
    from goldenthread.providers.models import StaffMember, SupportedPerson
    from goldenthread.workshops.models import Delegate

    names = set()
    for review in Review.objects.all():
        names.update(n for n in (review.person_name, review.facilitator) if n)
    names.update(Attendee.objects.values_list("name", flat=True))
    names.update(OnePageProfile.objects.values_list("name", flat=True))
    for model in (Delegate, Invitee, SupportedPerson, StaffMember):
        names.update(model.objects.values_list("name", flat=True))
    texts = set(Statement.objects.values_list("text", flat=True)) | set(
        Statement.objects.values_list("card_text", flat=True))
    for profile in OnePageProfile.objects.all():
        texts.update(profile.lines(profile.appreciate) + profile.lines(profile.important)
                     + profile.lines(profile.support))
    # Theme names are shared wording (they are in every report) and are logged in clear on purpose.
    from goldenthread.workshops.models import Cluster

    themes = set(Cluster.objects.values_list("name", flat=True))
    return ({n.strip() for n in names if len(n.strip()) >= 3},
            {t.strip() for t in texts if len(t.strip()) >= 12 and t.strip() not in themes})


def test_every_text_field_of_every_logged_model_is_hidden_unless_declared_safe():
    """No model's free text reaches the log by default: a new field is hidden until someone decides otherwise."""
    for model in auditlog.get_models():
        fields = auditlog.get_model_fields(model)
        for name in hidden_fields(model, declared_clear(model), fields["exclude_fields"]):
            assert name in fields["mask_fields"], f"{model._meta.label}.{name} is logged in clear"
        assert fields["mask_callable"] == "goldenthread.core.audit.hide", model._meta.label
    # The fields that hold people's names and words are among the hidden ones, wherever they are.
    must_hide = {"reviews.Review": {"person_name", "facilitator", "location", "fingerprint"},
                 "reviews.Attendee": {"name", "relationship"}, "reviews.Statement": {"text", "card_text", "uncertain"},
                 "reviews.ReviewItem": {"text"}, "reviews.IndividualAction": {"text", "owner"},
                 "reviews.OnePageProfile": {"name", "appreciate", "important", "support"},
                 "reviews.ProfileVersion": {"name", "appreciate", "important", "support"},
                 "reviews.ImportBatch": {"filename"}, "workshops.Delegate": {"name"},
                 "workshops.ProposedPlace": {"like"}, "workshops.Action": {"owner"},
                 "programme.Invitee": {"name", "interpreter", "other_needs"}, "programme.Comment": {"text"},
                 "programme.Evaluation": {"worked", "not_so_well", "future"}, "programme.ActionUpdate": {"note"},
                 "providers.SupportedPerson": {"name"}, "providers.Fund": {"name"}, "tenders.PanelMember": {"name"},
                 "tenders.Bid": {"bidder", "summary"},
                 "providers.StaffMember": {"name"}, "providers.LedgerEntry": {"description", "with_whom"},
                 "providers.LearningLog": {"who_was_there", "went_well"}, "batch.BatchRun": {"error"}}
    by_label = {m._meta.label: m for m in auditlog.get_models()}
    for label, names in must_hide.items():
        assert names <= set(auditlog.get_model_fields(by_label[label])["mask_fields"]), label


def test_saving_changing_and_deleting_a_review_logs_no_name_and_no_statement(cycle):
    draft = ReviewDraft(reference="R-9", person_ref="P-9", review_date=dt.date(2026, 2, 1), area="Harford",
                        consent=True, user_group="Older people", person_name="Orla Quenby", facilitator="Tamsin Vale",
                        location="Quenby Cottage", attendees=[("Wilf Quenby", "grandson")],
                        statements=[StatementDraft(kind="working", text="Orla loves the Thursday choir"),
                                    StatementDraft(kind="not_working", text="The lift at Brackwell Court breaks")])
    save_reviews(cycle, [draft])  # an import is logged once, as its batch; what follows is logged row by row
    review = Review.objects.get(person_ref="P-9")
    review.location = "Brackwell Court, flat 3"
    review.save()
    statement = review.statements.first()
    statement.card_text = "[name] loves the Thursday singing group"
    statement.save()
    attendee = review.attendees.get()
    attendee.name = "Wilfred Quenby"
    attendee.save()
    added = Attendee.objects.create(review=review, name="Tamsin Vale", relationship="key worker")
    added.delete()
    new = Statement.objects.create(review=review, cycle=cycle, kind="future", text="Orla wants to visit Wilf",
                                   card_text="[name] wants to visit [name]", card_number=99)
    OnePageProfile.objects.create(person_ref="P-9", name="Orla Quenby", appreciate="Orla's laugh fills the room",
                                  important="Seeing Wilf on Sundays", support="Speak slowly and face Orla")

    logged = _entries_text()
    assert LogEntry.objects.count() >= 7
    for secret in ("Orla", "Quenby", "Tamsin Vale", "Wilf", "grandson", "key worker", "Thursday choir", "Brackwell",
                   "singing group", "visit", "laugh fills", "Speak slowly"):
        assert secret not in logged
    # Still useful: who changed which field of which row, and the pseudonymous person ID.
    entry = LogEntry.objects.get_for_object(attendee).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.object_repr == f"Attendee #{attendee.pk}" and entry.changes["name"] == [HIDDEN, HIDDEN]
    changed = LogEntry.objects.get_for_object(review).get()
    assert changed.changes == {"location": [HIDDEN, HIDDEN]} and changed.object_repr == f"Review #{review.pk}"
    # An empty field is shown as empty, so the log still says a field was filled in; choices stay readable.
    created = LogEntry.objects.get_for_object(new).get(action=LogEntry.Action.CREATE).changes
    assert created["text"] == ["None", HIDDEN] and created["kind"] == ["None", "future"]


def test_entries_written_under_the_old_rule_are_scrubbed(cycle):
    """Entries already in a database (or in an older backup) get the same treatment: label and hidden fields."""
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(content_type=ContentType.objects.get_for_model(Attendee), object_pk="12", object_id=12,
                            object_repr="Lorraine Vetch (mum)", action=LogEntry.Action.CREATE,
                            changes={"name": ["None", "******Vetch"], "relationship": ["None", "mum"],
                                     "position": ["None", "0"]})
    LogEntry.objects.filter(object_pk="12").update(object_repr="Lorraine Vetch (mum)",
                            changes={"name": ["None", "******Vetch"], "relationship": ["None", "mum"],
                                     "position": ["None", "0"]})  # as an older version wrote it
    assert scrub_log() == 1
    entry = LogEntry.objects.get(object_pk="12", content_type=ContentType.objects.get_for_model(Attendee))
    assert entry.object_repr == "Attendee #12"
    assert entry.changes == {"name": ["None", HIDDEN], "relationship": ["None", HIDDEN], "position": ["None", "0"]}
    assert scrub_log() == 0


def test_the_demo_leaves_no_name_and_no_statement_in_the_change_log(full_demo_data):
    """Everything ``goldenthread demo`` loads (its very loaders, taken once per run by the suite's snapshot, change
    log included; tests/cli/test_cli.py runs the command itself)."""
    assert LogEntry.objects.count() > 0
    names, texts = _people_words()
    assert names and texts
    logged = _entries_text()
    assert _hits(logged, names) == []
    assert _hits(logged, texts) == []


def test_the_label_of_a_row_is_kept_only_where_it_names_no_one(cycle):
    from goldenthread.core.models import Area

    area = Area.objects.get(name="Harford")
    area.name = "Harford and Fells"
    area.save()
    assert LogEntry.objects.get_for_object(area).latest("timestamp").object_repr == "Harford and Fells"


def test_the_leak_search_finds_every_kind_of_hit_and_only_whole_words():
    """The one-pass search the demo test relies on: a longer name does not hide a shorter one elsewhere."""
    logged = "changed by Dev Patel; {\"name\": \"Joan\"}\tJoanna (pattern a.b)"
    assert _hits(logged, ["Dev Patel", "Joan", "Joanna", "Pat", "a.b", "Zed"]) == ["Dev Patel", "Joan", "Joanna",
                                                                                    "a.b"]
    assert _hits(logged, []) == [] and _hits("Patrick", ["Pat"]) == []
