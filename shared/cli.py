"""Command-line entry points (demo loaders, replay, benchmarks): a failure is one clear line on
stderr and a non-zero exit, never a stack trace."""

from __future__ import annotations

import sys
from collections.abc import Callable

import httpx
from aiokafka.errors import KafkaError
from sqlalchemy.exc import SQLAlchemyError

HINT = "基础设施或服务是否在运行？(is the infrastructure running? `make run` / `make status`)"


def run_cli(main: Callable[[], int], *, what: str) -> int:
    """Run `main`; turn connection and service failures into a message and exit code 2."""
    try:
        return main()
    except KeyboardInterrupt:
        print(f"{what}: 已中断 (interrupted)", file=sys.stderr)
        return 130
    except httpx.HTTPError as exc:
        print(
            f"{what} 失败 (failed): 无法访问服务 (service unreachable): {exc}. {HINT}",
            file=sys.stderr,
        )
    except (OSError, SQLAlchemyError, KafkaError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"{what} 失败 (failed): {type(exc).__name__}: {reason}. {HINT}", file=sys.stderr)
    except RuntimeError as exc:  # DemoError and the like: the message says what went wrong
        print(f"{what} 失败 (failed): {exc}", file=sys.stderr)
    return 2
