"""A local test SMTP server for the load test: `smtp_sink.py PORT OUT.json`. Counts the
messages and each Message-ID once (a retried job that sends the same e-mail again shows up as
a duplicate), and writes the counts to OUT.json on SIGTERM.

SIGUSR1 makes it hang (FAULT=smtp): it takes the connection and the message but holds the
answer to DATA, so the sender waits until its own timeout; SIGUSR2 ends the hang, and the held
messages are then refused with 451 (never counted: their senders gave up and retry)."""

import asyncio
import json
import signal
import sys
import threading
from email import message_from_bytes

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.messages = 0
        self.held = 0
        self.ids: dict[str, int] = {}
        self.hanging = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.hanging.is_set():
            self.held += 1
            while self.hanging.is_set():
                await asyncio.sleep(0.2)
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.content)
        self.messages += 1
        key = message.get("Message-ID", "")
        self.ids[key] = self.ids.get(key, 0) + 1
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, counter.hanging.set)
    loop.add_signal_handler(signal.SIGUSR2, counter.hanging.clear)
    loop.run_until_complete(stop.wait())
    controller.stop()
    with open(out, "w") as handle:
        json.dump(
            {
                "messages": counter.messages,
                "held": counter.held,
                "unique_ids": len(counter.ids),
                "duplicates": {k: v for k, v in counter.ids.items() if v > 1},
            },
            handle,
        )


if __name__ == "__main__":
    main()
