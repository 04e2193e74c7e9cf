"""Running the web app: the listening socket, the browser, uvicorn.

The socket is bound here, before uvicorn starts, so a busy port is a plain
message (not a traceback) and the browser opened next finds the server
listening.
"""

from __future__ import annotations

import errno
import socket
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from srs_crss.errors import SrsError
from srs_crss.settings.run import Settings

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8370


LAN_END = "Keep this window open while you study; Ctrl-C stops the server."


class PortBusy(SrsError):
    """The port asked for is taken by another program."""

    exit_code = 1


class BadHost(SrsError):
    """--host names no address of this machine."""

    exit_code = 2


@dataclass(frozen=True)
class Cohort:
    """`serve --cohort`: the address to listen on, and whether a reverse proxy in front
    (on this machine) says the client's address and scheme."""

    host: str = LOOPBACK
    proxy_headers: bool = False


COHORT_START = (
    "Cohort server at {url}  (everyone signs in; Ctrl-C stops it). Accounts: srs-crss users add"
)


@dataclass(frozen=True)
class Listening:
    sock: socket.socket
    host: str
    port: int


def listen(port: int, lan: bool, host: str | None = None) -> Listening:
    """A socket listening on 127.0.0.1 (every interface with `lan`, or `host`) at `port`
    (0: any)."""
    host = host or ("0.0.0.0" if lan else LOOPBACK)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets
    # whose proto says TCP, and accepted ones inherit it. Without it every response
    # waited ~40 ms for the client's delayed ACK (benchmarks/bench_web.py).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except socket.gaierror:
        sock.close()
        raise BadHost(f"--host {host!r} is not an address of this machine") from None
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRNOTAVAIL:
            raise BadHost(f"--host {host!r} is not an address of this machine") from None
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


def uvicorn_config(app: Any, proxy_headers: bool) -> Any:
    """uvicorn's settings for this app. X-Forwarded-For and -Proto are believed only with
    --proxy-headers, and then only from a proxy on this machine: otherwise any client
    could claim another address (escaping its sign-in waits) or HTTPS."""
    import uvicorn  # the server: only for `serve`

    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        proxy_headers=proxy_headers,
        forwarded_allow_ips="127.0.0.1,::1" if proxy_headers else "",
    )


def serve(
    settings: Settings,
    port: int,
    open_browser: bool,
    lan: bool,
    say: Callable[[str], None],
    cohort: Cohort | None = None,
) -> None:
    """Serve until Ctrl-C: print where, open the browser, run uvicorn on the socket."""
    import asyncio

    import uvicorn  # the server: only for `serve`

    from srs_crss.web.app import build
    from srs_crss.web.base import Web

    web = Web(
        settings,
        lan=lan,
        cohort=cohort is not None,
        proxy_headers=cohort is not None and cohort.proxy_headers,
    )
    app = build(settings, web=web)
    where = listen(port, lan, cohort.host if cohort else None)
    local = f"http://{LOOPBACK}:{where.port}/"
    if cohort is not None:
        shown = f"[{where.host}]" if ":" in where.host else where.host
        say(COHORT_START.format(url=f"http://{shown}:{where.port}/"))
        if where.host not in (LOOPBACK, "0.0.0.0", "::"):
            local = f"http://{shown}:{where.port}/"
    else:
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
    config = uvicorn_config(app, cohort is not None and cohort.proxy_headers)
    server = uvicorn.Server(config)
    try:
        asyncio.run(server.serve(sockets=[where.sock]))
    except KeyboardInterrupt:
        pass
    finally:
        where.sock.close()
