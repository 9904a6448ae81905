"""Readiness probe for the local Kafka broker, used by deploy/local/kafka.sh.

Exits 0 when the broker at BOOTSTRAP answers a metadata request through aiokafka's admin
client (the same client library the services use), 1 otherwise. One attempt per run: the
shell script loops and owns the overall deadline. An open port alone is not enough: the
broker accepts connections a little before it can serve metadata.

Usage: python kafka_ready.py 127.0.0.1:19092 [timeout_seconds]
"""

from __future__ import annotations

import asyncio
import logging
import sys

from aiokafka.admin import AIOKafkaAdminClient


async def probe(bootstrap: str) -> list[str]:
    client = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await client.start()
    try:
        return list(await client.list_topics())
    finally:
        await client.close()


def main() -> int:
    bootstrap = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:19092"
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
    # aiokafka logs every refused connection at ERROR while the broker is starting: noise here.
    logging.basicConfig(level=logging.CRITICAL)
    try:
        asyncio.run(asyncio.wait_for(probe(bootstrap), timeout))
    except Exception as exc:
        print(f"not ready: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
