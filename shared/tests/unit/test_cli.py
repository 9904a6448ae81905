"""Command-line tools fail with one clear line and a non-zero exit, never a stack trace."""

import httpx
import pytest

from shared.cli import run_cli


def _unreachable() -> int:
    raise httpx.ConnectError("All connection attempts failed")


def _refused() -> int:
    raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 1)")


def test_an_unreachable_service_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(_unreachable, what="relief demo") == 2
    err = capsys.readouterr().err
    assert err.startswith("relief demo 失败 (failed): 无法访问服务")
    assert "Traceback" not in err and err.count("\n") == 1


def test_a_refused_database_names_the_cause(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(_refused, what="projection replay") == 2
    assert "ConnectionRefusedError" in capsys.readouterr().err


def test_success_passes_the_exit_code_through() -> None:
    assert run_cli(lambda: 0, what="x") == 0
    assert run_cli(lambda: 1, what="x") == 1
