"""Running the sandbox: in a background thread for tests (`start`), or in the foreground for
`manage.py sandbox` (`serve`). Both use werkzeug's threaded server, on one port for every vendor."""

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from automation.sandbox import clock, control
from automation.sandbox.app import SandboxApp
from automation.sandbox.world import SeedSpec


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class SandboxHandle:
    """A running sandbox. The control operations act on the app directly, the same as the `/_sandbox`
    endpoints do over HTTP."""

    def __init__(self, app: SandboxApp, server, thread: threading.Thread | None):
        self.app = app
        self._server = server
        self._thread = thread
        self.host = server.host
        self.port = server.port
        self.url = f"http://{self.host}:{self.port}"

    def vendor_url(self, vendor: str) -> str:
        return f"{self.url}/{vendor}"

    def fault(self, vendor: str, **rule: Any) -> list[dict]:
        """Add a fault rule, e.g. `handle.fault("github", status=503, count=2)`."""
        return control.add_faults(self.app, {"vendor": vendor, **rule})

    def clear_faults(self, vendor: str | None = None) -> int:
        return self.app.faults.clear(vendor)

    def reset(self) -> None:
        self.app.reset()

    def requests(self, vendor: str | None = None, since: int = 0) -> list[dict]:
        return self.app.log.entries(vendor, since)

    def configure(self, **settings: Any) -> dict:
        self.app.world.settings.update(settings)
        return self.app.world.settings.describe()

    @property
    def world(self):
        return self.app.world

    def stop(self) -> None:
        self.app.stopping.set()  # wakes requests held by latency/timeout faults
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "SandboxHandle":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _spec(seed: int, cases: int, issues: int, anchor) -> SeedSpec:
    if cases < 0 or issues < 0:
        raise ValueError("cases and issues must not be negative")
    return SeedSpec(seed=seed, cases=cases, issues=issues, anchor=clock.anchor_from(anchor))


def start(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int = 42,
    cases: int = 200,
    issues: int = 150,
    anchor=None,
    settings: dict | None = None,
    quiet: bool = True,
) -> SandboxHandle:
    """Start the sandbox in a daemon thread (port 0 = any free port) and return its handle."""
    app = SandboxApp(_spec(seed, cases, issues, anchor), settings)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler if quiet else None)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"sandbox:{server.port}", daemon=True
    )
    thread.start()
    return SandboxHandle(app, server, thread)


class _Stop(Exception):
    pass


def serve(
    *,
    host: str,
    port: int,
    seed: int,
    cases: int,
    issues: int,
    anchor=None,
    settings: dict | None = None,
    quiet: bool = False,
    ready: Callable[[SandboxHandle], None] | None = None,
) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM, then close the socket and return."""
    app = SandboxApp(_spec(seed, cases, issues, anchor), settings)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler if quiet else None)
    handle = SandboxHandle(app, server, None)

    def on_signal(signum, frame):
        raise _Stop

    # SIGINT explicitly too: a process started in the background by a script inherits SIGINT ignored.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    if ready:
        ready(handle)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        app.stopping.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        logging.getLogger(__name__).info("sandbox on %s stopped", handle.url)
