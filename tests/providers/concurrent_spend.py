"""Two spends at the same moment against one fund, each in its own thread and database connection.

Run as a script (a fresh process, so Django uses the DATABASE_URL given): it
migrates, gives a fund £100, then starts two threads that each try to spend
£60 at once, and prints how many succeeded and the final balance as JSON.
Without the fund's row lock this overspends on PostgreSQL (both succeed) and
fails with "database is locked" on SQLite; with it, one spend waits for the
other and is refused.
"""
import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")


def main():
    import datetime as dt
    from decimal import Decimal as D

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from goldenthread.providers import services as s
    from goldenthread.providers.models import Fund, SupportedPerson
    from goldenthread.store.models import Service

    service, _ = Service.objects.get_or_create(name="Concurrency")
    person = SupportedPerson.objects.create(ref=f"C-{os.getpid()}", name="C", service=service)
    fund = Fund.objects.create(name="C", service=service, person=person, weekly_money=D("100"),
                               starts_on=dt.date(2026, 1, 1))
    s.credit_week(fund, dt.date(2026, 1, 5))
    connection.close()
    # Widen the race: each spend pauses after reading the balance and before writing its line, so without the
    # row lock both would read £100 and both would spend.
    import time

    check = s._check

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.3)

    s._check = slow_check
    barrier = threading.Barrier(2)
    results = []

    def spend():
        from django.db import connection as conn

        barrier.wait()
        try:
            s.record_purchase(fund, dt.date(2026, 1, 6), "60.00", by=None, description="at once")
            results.append("ok")
        except s.FundError:
            results.append("refused")
        except Exception as err:  # a lock error would be a failure of the guard, report it
            results.append(f"error: {err!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"results": sorted(results), "money": str(Fund.objects.get(pk=fund.pk).balances()["money"])}))


if __name__ == "__main__":
    sys.exit(main())
