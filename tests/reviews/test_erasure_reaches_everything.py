"""Erasing a person, and the retention purge, reach the change log, the batch files and the erasure ledger.

Names and statements are invented.
"""
from __future__ import annotations

import datetime as dt
import json
import stat

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from goldenthread.core import roles
from goldenthread.reviews import data_protection
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.models import Attendee, ErasureRecord, OnePageProfile, ProgrammeCycle, Review, Statement
from goldenthread.reviews.saving import save_reviews


def _draft(ref, person_ref, name, attendee, date=dt.date(2026, 2, 1), texts=()):
    return ReviewDraft(reference=ref, person_ref=person_ref, review_date=date, area="Harford", consent=True,
                       user_group="Older people", person_name=name, facilitator="Greta Fallow",
                       attendees=[attendee], statements=[StatementDraft(kind="working", text=t) for t in texts])


@pytest.fixture
def people(cycle):
    """Two people, each with rows the change log has seen being created and changed."""
    save_reviews(cycle, [
        _draft("R1", "P-1", "Ivy Marrable", ("Lorraine Marrable", "mum"),
               texts=("Ivy loves the pottery class at Dunmore Hall", "The minibus to Dunmore is late")),
        _draft("R2", "P-2", "Len Oakridge", ("Bea Oakridge", "wife"), texts=("The allotment keeps me going",))])
    for attendee in Attendee.objects.all():  # changed on the page: each change is logged
        attendee.relationship += " (main carer)"
        attendee.save()
    for statement in Statement.objects.all():
        statement.card_text = statement.card_text.replace("minibus", "bus")
        statement.save()
    OnePageProfile.objects.create(person_ref="P-1", name="Ivy Marrable", appreciate="Ivy's pots are everywhere",
                                  important="Seeing Lorraine", support="Give Ivy time to answer")
    return cycle


def _about(person_ref) -> list[tuple[int, str]]:
    """(content type, pk) of every row held about a person now: review, attendees, statements, profile."""
    reviews = Review.objects.filter(person_ref=person_ref)
    rows = [(Review, reviews), (Attendee, Attendee.objects.filter(review__in=reviews)),
            (Statement, Statement.objects.filter(review__in=reviews)),
            (OnePageProfile, OnePageProfile.objects.filter(person_ref=person_ref))]
    return [(ContentType.objects.get_for_model(model).pk, str(pk))
            for model, qs in rows for pk in qs.values_list("pk", flat=True)]


def _entries_about(rows) -> int:
    return sum(LogEntry.objects.filter(content_type_id=ct, object_pk=pk).count() for ct, pk in rows)


def test_erasing_a_person_deletes_every_change_log_entry_about_their_rows(people, make_user):
    from goldenthread.workshops.models import Board, Cluster, Placement, Workshop, WorkshopCard

    workshop = Workshop.objects.create(cycle=people, name="W")
    board = Board.objects.create(workshop=workshop, kind="working", name="Working")
    theme = Cluster.objects.create(board=board, name="Things to do")
    cards = [WorkshopCard.objects.create(workshop=workshop, statement=s, kind=s.kind, order=i)
             for i, s in enumerate(Statement.objects.order_by("pk"))]
    placements = [Placement.objects.create(board=board, cluster=theme, card=c) for c in cards]
    ivy, len_ = _about("P-1"), _about("P-2")
    ivy_cards = [(ContentType.objects.get_for_model(WorkshopCard).pk, str(c.pk)) for c in cards
                 if c.statement.review.person_ref == "P-1"]
    ivy_places = [(ContentType.objects.get_for_model(Placement).pk, str(p.pk)) for p in placements
                  if p.card.statement.review.person_ref == "P-1"]
    assert _entries_about(ivy) > 0 and _entries_about(ivy_cards) > 0 and _entries_about(ivy_places) > 0
    len_before = _entries_about(len_)

    data_protection.erase_person("P-1", make_user(roles.ADMINISTRATOR))

    # Nothing about Ivy's rows is left, not even the entries the deletion itself wrote.
    assert _entries_about(ivy + ivy_cards + ivy_places) == 0
    assert _entries_about(len_) == len_before > 0
    # The theme stays, and so does the group's record of it.
    assert LogEntry.objects.get_for_object(theme).exists()


def test_the_retention_purge_deletes_the_change_log_entries_of_what_it_purges(cycle, settings):
    settings.GOLDENTHREAD_RETENTION_MONTHS = 12
    save_reviews(cycle, [_draft("OLD", "P-7", "Ada Quill", ("Tom Quill", "son"), date=dt.date(2020, 1, 5),
                                texts=("Ada paints at the Linthorpe club",)),
                         _draft("NEW", "P-8", "Bo Dray", ("Cy Dray", "brother"), date=dt.date.today(),
                                texts=("Bo likes the swimming",))])
    for attendee in Attendee.objects.all():
        attendee.name += " Jr"
        attendee.save()
    old, new = _about("P-7"), _about("P-8")
    assert _entries_about(old) > 0 and _entries_about(new) > 0

    data_protection.purge_expired()

    assert _entries_about(old) == 0 and _entries_about(new) > 0
    assert [(r.person_ref, r.reviews_before) for r in ErasureRecord.objects.all()] == [
        ("P-7", data_protection.retention_cutoff(12))]


def test_an_erasure_is_written_to_the_ledger_with_the_person_id_and_the_time_only(people, make_user):
    data_protection.erase_person("P-1", make_user(roles.ADMINISTRATOR))
    record = ErasureRecord.objects.get()
    assert record.person_ref == "P-1" and record.reviews_before is None and record.erased_at is not None
    assert {f.name for f in ErasureRecord._meta.concrete_fields} == {"id", "person_ref", "erased_at",
                                                                      "reviews_before"}


def test_an_erasure_that_fails_writes_no_ledger_row(people, make_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(data_protection, "record_access", broken)
    with pytest.raises(RuntimeError):
        data_protection.erase_person("P-1", make_user(roles.ADMINISTRATOR))
    assert not ErasureRecord.objects.exists() and Review.objects.filter(person_ref="P-1").exists()
    assert _entries_about(_about("P-1")) > 0


def _run_with_files(cycles, tmp_path, name):
    """A batch run of these cycles whose work folder holds what a run writes (statements, known themes, output)."""
    from goldenthread.batch import services

    run = services.start_run(cycles, work_dir=tmp_path / name)
    work = tmp_path / name
    services.export_statements(run, work / "statements.parquet")
    (work / "known.json").write_text(json.dumps(None))
    (work / "engine").mkdir()
    (work / "engine" / "part-0.parquet").write_bytes(b"PAR1")
    (work / "themes.parquet").write_bytes(b"PAR1")
    from goldenthread.batch.models import BatchRun

    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE)
    return run, work


def test_erasing_a_person_deletes_the_files_of_the_batch_runs_that_read_their_statements(people, tmp_path,
                                                                                         make_user):
    import pyarrow.parquet as pq

    later = ProgrammeCycle.objects.create(name="Next year", slug="test-2027", year=2027, previous=people)
    other = ProgrammeCycle.objects.create(name="Elsewhere", slug="elsewhere-2026", year=2026)
    save_reviews(other, [_draft("E1", "P-9", "Nell Ashby", ("Roy Ashby", "dad"), texts=("I like the library",))])
    save_reviews(later, [_draft("L1", "P-3", "Kit Amble", ("Dot Amble", "aunt"), texts=("The cafe is friendly",))])
    run, work = _run_with_files([people], tmp_path, "this")
    assert "Dunmore Hall" in " ".join(pq.read_table(work / "statements.parquet").column("text").to_pylist())
    _, next_work = _run_with_files([later], tmp_path, "next")  # its known.json holds last cycle's cards
    _, other_work = _run_with_files([other], tmp_path, "other")
    (work / "notes.txt").write_text("kept: not a file the run wrote")

    data_protection.erase_person("P-1", make_user(roles.ADMINISTRATOR))

    assert not (work / "statements.parquet").exists() and not (work / "known.json").exists()
    assert not (work / "engine").exists() and not (work / "themes.parquet").exists()
    assert (work / "notes.txt").read_text().startswith("kept")
    assert not next_work.exists()  # emptied, so the folder went too
    assert (other_work / "statements.parquet").exists() and (other_work / "themes.parquet").exists()
    run.refresh_from_db()  # the run and its proposal stay in the database
    assert run.status == "done"


def test_the_retention_purge_deletes_the_files_of_the_batch_runs_too(cycle, tmp_path, settings):
    settings.GOLDENTHREAD_RETENTION_MONTHS = 12
    save_reviews(cycle, [_draft("OLD", "P-7", "Ada Quill", ("Tom Quill", "son"), date=dt.date(2020, 1, 5),
                                texts=("Ada paints at the Linthorpe club",))])
    _, work = _run_with_files([cycle], tmp_path, "run")
    data_protection.purge_expired()
    assert not work.exists()


def test_batch_files_are_readable_by_their_owner_only(people, tmp_path):
    _, work = _run_with_files([people], tmp_path, "run")
    assert stat.S_IMODE((work / "statements.parquet").stat().st_mode) == 0o600
    assert stat.S_IMODE(work.stat().st_mode) == 0o700
