"""Child processes for crash tests: a relay or a consumer, killed with SIGKILL by the test.

usage: python processes.py relay <database_url> <bootstrap> <schema>
       python processes.py consumer <database_url> <bootstrap> <schema> <topic> <group>
"""

import asyncio
import sys

from faststream.kafka import KafkaBroker
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.consumer import EventConsumer
from shared.db import make_engine
from shared.envelope import Envelope
from shared.relay import OutboxRelay, idempotent_producer


async def relay(url: str, bootstrap: str, schema: str) -> None:
    engine = make_engine(url)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    relay = OutboxRelay(engine, producer, schema=schema, batch_size=50)
    await relay.run(asyncio.Event())


async def consume(url: str, bootstrap: str, schema: str, topic: str, group: str) -> None:
    engine = make_engine(url)

    async def apply(conn: AsyncConnection, env: Envelope) -> None:
        await conn.execute(
            text(
                f'INSERT INTO "{schema}".applied (event_id, times) VALUES (:e, 1)'
                " ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1"
            ),
            {"e": env.event_id},
        )
        await asyncio.sleep(0.002)  # widen the window a kill can land in

    consumer = EventConsumer(
        engine, schema=schema, name=group, topics=[topic], handler=apply, max_records=20
    )
    broker = KafkaBroker(bootstrap.split(","), logger=None)
    consumer.attach(broker)
    await broker.start()
    print("started", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    asyncio.run(relay(*args) if mode == "relay" else consume(*args))
