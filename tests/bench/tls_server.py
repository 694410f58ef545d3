"""``python -m tests.bench.tls_server CA_FILE``: the project's local server over ``wss://``.

For the bench's TLS figures. A throwaway CA (trustme) is made at start and signs a certificate for
127.0.0.1; the CA's PEM is written to CA_FILE so the clients can trust it (``SSL_CERT_FILE``,
``WEBSOCKET_CLIENT_CA_BUNDLE``, ``NODE_EXTRA_CA_CERTS``). ``LocalServer`` has no TLS option, so
this bench-only script hands ``ssl=`` to the ``websockets.serve`` call it makes. Prints the
``wss://`` URL on stdout and serves until SIGTERM, with rate limits off like ``serve
--no-rate-limit``.
"""

from __future__ import annotations

import asyncio
import functools
import signal
import ssl
import sys

import trustme

from bybit_wsapi.server import LocalServer, ServerConfig, app


async def main(ca_file: str) -> None:
    ca = trustme.CA()
    ca.cert_pem.write_to_path(ca_file)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    app.serve = functools.partial(app.serve, ssl=context)  # type: ignore[attr-defined]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with LocalServer(ServerConfig(rate_limit=False)) as server:
        print(server.url.replace("ws://", "wss://", 1), flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
