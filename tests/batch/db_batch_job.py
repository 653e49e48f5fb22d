"""A database batch run as its own process (so a test can SIGKILL the whole job and its Dask workers).

usage: python -m tests.batch.db_batch_job DATA_DIR [--resume]
Uses a file SQLite database in DATA_DIR; the first call migrates and fills it with invented statements.
"""
from __future__ import annotations

import os
import sys
import time


class SlowHashing:
    """The hashing embedder, slowed down so a test can stop the job part-way."""

    name = "slow-hashing"
    dim = 512

    def encode(self, texts):
        from goldenthread.engine.embed import HashingEmbedder

        time.sleep(0.4)
        return HashingEmbedder().encode(texts)


def main() -> None:
    os.environ["GOLDENTHREAD_DATA_DIR"] = sys.argv[1]
    os.environ.pop("DATABASE_URL", None)
    from goldenthread.cli.django_setup import setup

    setup(migrate=True)
    from goldenthread.batch import services
    from goldenthread.batch.bigdb import make_big_db
    from goldenthread.batch.models import BatchRun
    from goldenthread.reviews.models import ProgrammeCycle

    if not ProgrammeCycle.objects.exists():
        make_big_db(3000, 1, workshop=False)
    if "--resume" in sys.argv:
        run = BatchRun.objects.get()
    else:
        run = services.start_run(ProgrammeCycle.objects.all(), per="user_group",
                                 work_dir=os.path.join(sys.argv[1], "work"),
                                 options={"partition_size": 200, "sample_size": 800})
    services.execute(run, model=SlowHashing())
    print(run.pk)


if __name__ == "__main__":
    main()
