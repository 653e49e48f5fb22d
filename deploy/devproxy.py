"""The smallest honest reverse proxy for ``make stack``: round robin over the app processes, websockets included.

Caddy (deploy/Caddyfile) is the proxy in production; this machine has no Caddy, nginx or HAProxy package,
so ``make stack`` runs this instead, on the standard library only. What it does, like Caddy in front of the app:

* hands each new connection to the next app process that answered its last ``/healthz`` (checked every
  second), trying the next one if a connection fails;
* sets ``X-Forwarded-For`` to the address the connection came from, replacing any the client sent, and
  ``X-Forwarded-Proto: http`` (the app believes them because ``GOLDENTHREAD_TRUSTED_PROXIES`` names this proxy);
* passes a websocket (``Upgrade``) through untouched once its request head is rewritten.

What it does not do (and why it is for trying the topology, never for production): no TLS, no HTTP/2,
and one request per connection (it asks the app to close each plain HTTP connection after its answer, so
it only ever has to read request heads, never bodies).

    python deploy/devproxy.py --listen 127.0.0.1:8080 --backend 127.0.0.1:8001 --backend 127.0.0.1:8002
"""
from __future__ import annotations

import argparse
import asyncio
import itertools

DROP = (b"x-forwarded-for:", b"x-forwarded-proto:", b"x-forwarded-host:", b"forwarded:")


class Proxy:
    def __init__(self, backends: list[tuple[str, int]]):
        self.backends = backends
        self.healthy = {b: True for b in backends}
        self.turn = itertools.cycle(range(len(backends)))
        self.connections = {b: 0 for b in backends}

    def order(self) -> list[tuple[str, int]]:
        """The backends to try for the next connection: the next healthy one first, then the others."""
        start = next(self.turn)
        ring = self.backends[start:] + self.backends[:start]
        return [b for b in ring if self.healthy[b]] + [b for b in ring if not self.healthy[b]]

    async def check_health(self, every: float = 1.0) -> None:
        while True:
            for backend in self.backends:
                self.healthy[backend] = await _answers_healthz(*backend)
            await asyncio.sleep(every)

    async def handle(self, client_reader, client_writer) -> None:
        try:
            head = await asyncio.wait_for(client_reader.readuntil(b"\r\n\r\n"), 30)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
            client_writer.close()
            return
        peer = (client_writer.get_extra_info("peername") or ("unknown",))[0]
        head = rewrite(head, peer)
        for backend in self.order():
            try:
                reader, writer = await asyncio.open_connection(*backend)
            except OSError:
                self.healthy[backend] = False
                continue
            self.connections[backend] += 1
            writer.write(head)
            await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))
            return
        client_writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        client_writer.close()


def rewrite(head: bytes, peer: str) -> bytes:
    """The request head with the proxy's X-Forwarded-* headers, and ``Connection: close`` unless it is an upgrade."""
    lines = head[:-4].split(b"\r\n")
    request, headers = lines[0], lines[1:]
    upgrade = any(h.lower().startswith(b"upgrade:") for h in headers)
    kept = [h for h in headers if not h.lower().startswith(DROP)
            and (upgrade or not h.lower().startswith((b"connection:", b"keep-alive:")))]
    kept += [b"X-Forwarded-For: " + peer.encode(), b"X-Forwarded-Proto: http"]
    if not upgrade:
        kept.append(b"Connection: close")
    return b"\r\n".join([request, *kept]) + b"\r\n\r\n"


async def _pipe(reader, writer) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.close()
        except RuntimeError:
            pass


async def _answers_healthz(host: str, port: int) -> bool:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 2)
        writer.write(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        status = await asyncio.wait_for(reader.readline(), 2)
        writer.close()
        return b" 200 " in status
    except (OSError, asyncio.TimeoutError):
        return False


async def serve(listen: tuple[str, int], backends: list[tuple[str, int]], started=None) -> None:
    proxy = Proxy(backends)
    server = await asyncio.start_server(proxy.handle, *listen)
    checker = asyncio.create_task(proxy.check_health())
    if started is not None:
        started(proxy)
    try:
        async with server:
            await server.serve_forever()
    finally:
        checker.cancel()


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--backend", action="append", required=True, help="host:port of an app process (repeat)")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(_address(args.listen), [_address(b) for b in args.backend]))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
