"""Running the web app: the listening socket, the browser, uvicorn.

The socket is bound here, before uvicorn starts, so a busy port is a plain
message (not a traceback) and the browser opened next finds the server
listening.
"""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass

from srs_crss.errors import SrsError
from srs_crss.settings.run import Settings

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8370


LAN_END = "Keep this window open while you study; Ctrl-C stops the server."


class PortBusy(SrsError):
    """The port asked for is taken by another program."""

    exit_code = 1


@dataclass(frozen=True)
class Listening:
    sock: socket.socket
    host: str
    port: int


def listen(port: int, lan: bool) -> Listening:
    """A socket listening on 127.0.0.1 (every interface with `lan`) at `port` (0: any)."""
    host = "0.0.0.0" if lan else LOOPBACK
    # IPPROTO_TCP named, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets
    # whose proto says TCP, and accepted ones inherit it. Without it every response
    # waited ~40 ms for the client's delayed ACK (benchmarks/bench_web.py).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortBusy(
            f"port {port} is in use by another program ({exc.strerror}): "
            f"try another with --port, e.g. --port {port + 1}"
        ) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return Listening(sock, host, sock.getsockname()[1])


def lan_address() -> str:
    """This computer's address on the local network (the route out; nothing is sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return LOOPBACK
    finally:
        probe.close()


def serve(
    settings: Settings,
    port: int,
    open_browser: bool,
    lan: bool,
    say: Callable[[str], None],
) -> None:
    """Serve until Ctrl-C: print where, open the browser, run uvicorn on the socket."""
    import asyncio

    import uvicorn  # the server: only for `serve`

    from srs_crss.web.app import build
    from srs_crss.web.base import Web

    web = Web(settings, lan=lan)
    app = build(settings, web=web)
    where = listen(port, lan)
    local = f"http://{LOOPBACK}:{where.port}/"
    say(f"Study in your browser at {local}  (Ctrl-C stops the server)")
    if lan:
        from srs_crss.web import qr  # only with --lan

        link = f"http://{lan_address()}:{where.port}/?token={web.secrets.lan}"
        say("On a phone on the same Wi-Fi, open this link (it carries a secret: share it")
        say(f"with no one), or scan the code below with the phone's camera:\n  {link}")
        say(qr.terminal(link))
        say(LAN_END)
    if open_browser:
        webbrowser.open(local)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    try:
        asyncio.run(server.serve(sockets=[where.sock]))
    except KeyboardInterrupt:
        pass
    finally:
        where.sock.close()
