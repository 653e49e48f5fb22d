"""``goldenthread serve`` and ``goldenthread manage``."""
from __future__ import annotations

import click

from goldenthread.cli.django_setup import setup


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the web app (HTTP and live websockets) with Daphne."""
    setup(migrate=True)
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(daphne_command(host, port))


def daphne_command(host: str, port: int) -> list[str]:
    """Daphne's arguments, after putting Golden Thread's limits and proxy rule into it."""
    from django.conf import settings

    from goldenthread.core.clientip import daphne_arguments, install_daphne_proxy_trust
    from goldenthread.web.limits import install_daphne_limits

    install_daphne_limits()  # refuse oversized bodies before Daphne reads them
    args = ["-b", host, "-p", str(port)]
    proxy = daphne_arguments()  # --proxy-headers only when GOLDENTHREAD_TRUSTED_PROXIES is set
    if proxy:
        install_daphne_proxy_trust()  # and then believed from those proxies only
        args += proxy
    if settings.GOLDENTHREAD_LOG_FORMAT == "json":
        args += ["--verbosity", "0"]  # no plain-text access lines (client address, query string); the proxy logs those
    click.echo(f"Golden Thread is running at http://{host}:{port}/  (press Ctrl+C to stop)")
    return [*args, "goldenthread.web.asgi:application"]


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args) -> None:
    """Run a Django management command, e.g. ``goldenthread manage createsuperuser``."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["goldenthread manage", *args])
