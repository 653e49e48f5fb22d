"""A batch job run as its own process by test_batch_pipeline (so a test can SIGKILL it).

usage: python -m tests.engine.batch_job WORK_DIR OUTPUT N_ROWS [--resume]
Prints the result's ``skipped`` counts as JSON on its last line.
"""
from __future__ import annotations

import json
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
    from goldenthread.engine.batch import run_batch
    from goldenthread.engine.synthetic import make_statements

    work, output, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    res = run_batch(make_statements(n, seed=5), work_dir=work, output=output, id_column="id",
                    kind_column="kind", model=SlowHashing(), partition_size=200, sample_size=800,
                    resume="--resume" in sys.argv)
    print(json.dumps(res.skipped))


if __name__ == "__main__":
    main()
