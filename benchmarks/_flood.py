"""The unauthenticated flood of ``api_load.py --flood``, run in a process of its own."""

from __future__ import annotations

import asyncio
from collections import Counter

FLOOD_REQUEST = b"GET /api/dashboard/overview HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


async def _flood_connection(port: int, stop, statuses: Counter) -> None:
    """One keep-alive connection sending the next request as soon as an answer is read (and
    reconnecting when the server closes it): raw asyncio streams, about ten times cheaper per
    request than httpx, so the load generator floods harder than the server sheds."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as exc:
            statuses[type(exc).__name__] += 1
            await asyncio.sleep(0.01)
            continue
        try:
            while not stop.is_set():
                writer.write(FLOOD_REQUEST)
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await reader.readexactly(length)
                statuses[int(head.split(b" ", 2)[1])] += 1
        except (OSError, asyncio.IncompleteReadError):
            pass  # closed by the server: connect again
        finally:
            writer.close()


async def _anonymous(port: int, clients: int, stop, started) -> Counter:
    statuses: Counter = Counter()
    tasks = [asyncio.create_task(_flood_connection(port, stop, statuses))
             for _ in range(clients)]
    while not statuses:
        await asyncio.sleep(0.01)
    started.set()
    while not stop.is_set():
        await asyncio.sleep(0.1)
    await asyncio.gather(*tasks, return_exceptions=True)
    return statuses


def flooder(port: int, clients: int, stop, started, results) -> None:
    """The flood's own process (its event loop must not delay the users' requests)."""
    results.put(asyncio.run(_anonymous(port, clients, stop, started)))
