"""Many WebSocket clients in one process, driven over stdin/stdout by a benchmark.

    python -m bench.ws_clients URL COUNT [--origin http://127.0.0.1:8103]

Connects COUNT clients to URL, then prints ``connected <ok> <failed>`` and obeys one
command per line on stdin, answering one JSON line each:

- ``quiet <seconds>``: wait until no frame arrived for that long (the presence messages
  that every join causes have settled);
- ``wait <kind> <key> <timeout>``: wait until every connected client has received the
  frame ``<kind>`` with ``<key>`` (a post id for ``post.created``, the viewer's name for
  ``typing``); answers ``{"received", "first", "last"}`` with ``time.monotonic()``
  arrival times, comparable with the driver's clock on the same machine;
- ``stats``: frames received, clients still open; ``quit``.
"""

import argparse
import asyncio
import json
import sys
import time
from collections import defaultdict

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench.common import raise_file_limit


class Crowd:
    def __init__(self):
        self.arrivals: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.frames = 0
        self.last_frame = time.monotonic()
        self.open = 0
        self.closed_codes: dict[int, int] = defaultdict(int)
        self.errors: list[str] = []

    def key_of(self, message: dict) -> tuple[str, str] | None:
        kind = message.get("type")
        if kind == "post.created":
            return kind, str(message["post"]["id"])
        if kind == "typing":
            return kind, str(message["user"]["display_name"])
        return None

    async def client(self, url: str, origin: str, ready: asyncio.Event, failures: list):
        try:
            socket = await connect(url, origin=origin, ping_interval=None, max_queue=None)
        except Exception as error:
            failures.append(repr(error))
            ready.set()
            return
        self.open += 1
        ready.set()
        try:
            async for raw in socket:
                now = time.monotonic()
                self.frames += 1
                self.last_frame = now
                key = self.key_of(json.loads(raw))
                if key:
                    self.arrivals[key].append(now)
        except ConnectionClosed as closed:
            self.errors.append(repr(closed))
        finally:
            self.open -= 1
            code = socket.close_code or 0
            self.closed_codes[code] += 1


async def main_async(args) -> None:
    crowd = Crowd()
    failures: list[str] = []
    tasks = []
    batch = 25
    for start in range(0, args.count, batch):
        events = []
        for _ in range(start, min(args.count, start + batch)):
            ready = asyncio.Event()
            events.append(ready)
            tasks.append(asyncio.create_task(crowd.client(args.url, args.origin, ready, failures)))
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), 60)
    print(f"connected {crowd.open} {len(failures)}", flush=True)
    if failures:
        print(json.dumps({"first_failure": failures[0]}), file=sys.stderr, flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        if not line or line[0] == "quit":
            break
        if line[0] == "quiet":
            seconds = float(line[1])
            while time.monotonic() - crowd.last_frame < seconds:
                await asyncio.sleep(0.1)
            answer = {"frames": crowd.frames}
        elif line[0] == "wait":
            kind, key, timeout = line[1], line[2], float(line[3])
            deadline = time.monotonic() + timeout
            expected = crowd.open
            while len(crowd.arrivals[kind, key]) < expected and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            times = crowd.arrivals.pop((kind, key), [])
            answer = {
                "expected": expected,
                "received": len(times),
                "first": min(times, default=None),
                "last": max(times, default=None),
            }
        else:
            answer = {"frames": crowd.frames, "open": crowd.open, "closed": crowd.closed_codes}
        print(json.dumps(answer), flush=True)
    for task in tasks:
        task.cancel()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    parser.add_argument("--origin", default="http://127.0.0.1")
    args = parser.parse_args(argv)
    raise_file_limit()
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
