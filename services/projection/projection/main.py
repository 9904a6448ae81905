"""`python -m projection.main`: the projection service on port 8100."""

from __future__ import annotations

from projection.bootstrap import build_app
from projection.settings import ProjectionSettings
from shared.serve import serve


def main() -> None:
    serve(build_app, ProjectionSettings(), service="projection", default_port=8100)


if __name__ == "__main__":
    main()
