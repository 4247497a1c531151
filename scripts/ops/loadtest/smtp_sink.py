"""A local test SMTP server for the load test: `smtp_sink.py PORT OUT.json`. Counts the
messages and each Message-ID once (a retried job that sends the same e-mail again shows up as
a duplicate), and writes the counts to OUT.json on SIGTERM."""

import asyncio
import json
import signal
import sys
from email import message_from_bytes

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.messages = 0
        self.ids: dict[str, int] = {}

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
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
    loop.run_until_complete(stop.wait())
    controller.stop()
    with open(out, "w") as handle:
        json.dump(
            {
                "messages": counter.messages,
                "unique_ids": len(counter.ids),
                "duplicates": {k: v for k, v in counter.ids.items() if v > 1},
            },
            handle,
        )


if __name__ == "__main__":
    main()
