"""A Python client of `/ws/events/`: what events.js does in the browser, for the live tests, the
fan-out benchmark and smoke checks against a running server.

It speaks just enough RFC 6455 for this feed (text messages, ping/pong, close) over asyncio
streams. The requirements have no WebSocket client library, and the one daphne brings (autobahn)
cannot run on asyncio in a process that has loaded Django with daphne, which binds it to Twisted.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import struct
from urllib.parse import urlencode, urlsplit

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


class HandshakeRefused(ConnectionError):
    """The server answered the upgrade with an HTTP error (not signed in, foreign origin...)."""

    def __init__(self, status: int):
        super().__init__(f"WebSocket handshake refused with HTTP {status}")
        self.status = status


class EventStream:
    """One open connection to `/ws/events/`. `receive()` returns the next message as JSON."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._reader, self._writer = reader, writer
        self._messages: asyncio.Queue = asyncio.Queue()
        self.close_code: int | None = None
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def connect(
        cls,
        base_url: str,
        *,
        cookies: dict[str, str],
        after: int | None = None,
        topics: tuple[str, ...] = (),
        timeout: float = 10,
        origin: str | None = None,
    ) -> EventStream:
        """Open `/ws/events/` on `base_url` (http://host:port) with the given cookies (the session),
        sending the site's own origin (unless `origin` is given), as a page of the site would."""
        parts = urlsplit(base_url)
        query = {**({"after": after} if after is not None else {}), **({"topics": ",".join(topics)} if topics else {})}
        path = "/ws/events/" + (f"?{urlencode(query)}" if query else "")
        reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), timeout)
        try:
            origin = origin or f"{parts.scheme}://{parts.netloc}"
            await asyncio.wait_for(_handshake(reader, writer, parts, path, cookies, origin), timeout)
        except BaseException:
            writer.close()
            raise
        return cls(reader, writer)

    async def receive(self, timeout: float = 5) -> dict:
        """The next message; ConnectionError once the server has closed, TimeoutError if none comes."""
        message = await asyncio.wait_for(self._messages.get(), timeout)
        if message is None:
            self._messages.put_nowait(None)  # stay closed for later calls
            raise ConnectionError(f"connection closed with code {self.close_code}")
        return message

    async def receive_events(self, count: int, timeout: float = 10) -> list[dict]:
        """The next `count` events (messages with an id), skipping control messages."""
        loop = asyncio.get_running_loop()
        deadline, events = loop.time() + timeout, []
        while len(events) < count:
            message = await self.receive(timeout=max(0.0, deadline - loop.time()))
            if "id" in message:
                events.append(message)
        return events

    def send(self, message: dict) -> None:
        self._writer.write(_frame(_TEXT, json.dumps(message).encode()))

    async def close(self) -> None:
        """Close cleanly (the server sees code 1000) and wait for the server's answer, briefly."""
        if not self._writer.is_closing():
            self._writer.write(_frame(_CLOSE, struct.pack("!H", 1000)))
            with contextlib.suppress(TimeoutError, ConnectionError):
                await asyncio.wait_for(asyncio.shield(self._task), 2)
        self._task.cancel()
        self._writer.close()

    async def _read_loop(self) -> None:
        parts: list[bytes] = []
        try:
            while True:
                opcode, fin, payload = await _read_frame(self._reader)
                if opcode == _PING:
                    self._writer.write(_frame(_PONG, payload))
                elif opcode == _CLOSE:
                    self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    if not self._writer.is_closing():
                        self._writer.write(_frame(_CLOSE, payload[:2]))
                    return
                elif opcode != _PONG:
                    parts.append(payload)
                    if fin:
                        self._messages.put_nowait(json.loads(b"".join(parts)))
                        parts = []
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close_code = self.close_code or 1006
        finally:
            self._messages.put_nowait(None)


async def _handshake(reader, writer, parts, path: str, cookies: dict[str, str], origin: str) -> None:
    key = base64.b64encode(os.urandom(16)).decode()
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        f"Origin: {origin}",
        f"Cookie: {cookie}",
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if status != 101:
        raise HandshakeRefused(status)
    expected = base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()  # noqa: S324 (RFC 6455 says SHA-1)
    if headers.get("sec-websocket-accept") != expected:
        raise ConnectionError("WebSocket handshake answered with a wrong Sec-WebSocket-Accept")


async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    mask = await reader.readexactly(4) if second & 0x80 else None
    payload = await reader.readexactly(length)
    if mask:
        payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return first & 0x0F, bool(first & 0x80), payload


def _frame(opcode: int, payload: bytes) -> bytes:
    """A client frame: final, masked (RFC 6455 requires clients to mask)."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    mask = os.urandom(4)
    return header + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
