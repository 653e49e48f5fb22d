"""``goldenthread manage api_token create|list|revoke``: API tokens for other systems.

    goldenthread manage api_token create --name "Harford CMS" --role "Review facilitator" \\
        --cycles harford-2026 --services "Acorn Support" --write
    goldenthread manage api_token list
    goldenthread manage api_token revoke --name "Harford CMS"

The token is printed once, when it is made; only its hash is kept.
"""
from django.core.management.base import BaseCommand, CommandError

from goldenthread.api.domain import ROLES
from goldenthread.api.models import ApiClient
from goldenthread.api.tokens import TokenError, create_client


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a client and print its token (shown once).")
        create.add_argument("--name", required=True)
        create.add_argument("--role", required=True, choices=ROLES)
        create.add_argument("--cycles", default="all", help="Comma-separated cycle slugs, or 'all' (the default).")
        create.add_argument("--services", default="", help="Comma-separated service names (default: every service).")
        create.add_argument("--write", action="store_true", help="May send reviews.")
        create.add_argument("--identifiable", action="store_true",
                            help="May see identifiable data (words as recorded, counts not suppressed).")
        create.add_argument("--rate", type=int, default=600, help="Calls a minute (default 600).")
        sub.add_parser("list", help="List clients (never their tokens).")
        revoke = sub.add_parser("revoke", help="Revoke a client's token from the next call.")
        revoke.add_argument("--name", help="The client's name.")
        revoke.add_argument("--prefix", help="The token's public prefix (the part after gt_).")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, name, role, cycles, services, write, identifiable, rate, **_):
        split = lambda text: [part.strip() for part in text.split(",") if part.strip()]  # noqa: E731
        try:
            client, token = create_client(name, role, cycles=split(cycles), services=split(services), write=write,
                                          identifiable=identifiable, rate_limit=rate)
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Made API client {client.name} ({client.role}).")
        self.stdout.write("Token (copy it now; it is not shown again):")
        self.stdout.write(token)

    def _list(self, **_):
        for client in ApiClient.objects.prefetch_related("cycles", "services"):
            cycles = "all cycles" if client.all_cycles else ", ".join(c.slug for c in client.cycles.all()) or "none"
            services = ", ".join(s.name for s in client.services.all()) or "all services"
            flags = [f for f, on in (("write", client.can_write), ("identifiable", client.identifiable)) if on]
            state = f"revoked {client.revoked_at:%Y-%m-%d %H:%M}" if client.revoked_at else "active"
            self.stdout.write(f"gt_{client.prefix}_…  {client.name}  [{client.role}]  {cycles}; {services}; "
                              f"{', '.join(flags) or 'read only'}; {client.rate_limit}/min; {state}")

    def _revoke(self, name=None, prefix=None, **_):
        if not (name or prefix):
            raise CommandError("Say which client: --name or --prefix.")
        clients = ApiClient.objects.filter(**({"name": name} if name else {"prefix": prefix}))
        client = clients.first()
        if client is None:
            raise CommandError("No such API client.")
        client.revoke()
        self.stdout.write(f"Revoked the token of {client.name}.")
