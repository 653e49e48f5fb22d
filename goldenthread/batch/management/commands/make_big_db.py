"""``goldenthread manage make_big_db --statements 1000000 [--cycles N]``: invented data at scale."""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Fill the database with invented reviews and statements (and one workshop) to test pages and the "
            "batch job at scale. Never use on a real council's database.")

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, default=100_000, help="About how many statements to add.")
        parser.add_argument("--cycles", type=int, default=None,
                            help="Spread them over this many cycles (default: one per 3,000 reviews).")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--no-workshop", action="store_true", help="Do not make the workshop.")

    def handle(self, *args, statements, cycles, seed, no_workshop, **opts):
        from goldenthread.batch.bigdb import make_big_db

        if statements < 1 or (cycles is not None and cycles < 1):
            raise CommandError("--statements and --cycles must be at least 1")
        echo = (lambda m: self.stderr.write(m)) if opts["verbosity"] > 1 else None
        made = make_big_db(statements, cycles, seed=seed, workshop=not no_workshop, echo=echo)
        self.stdout.write(f"Added {made.cycles} cycles, {made.reviews} reviews, {made.statements} statements, "
                          f"{made.cards} workshop cards in {made.seconds:.1f} s")
