"""`python -m party.main`: the party service on port 8104."""

from __future__ import annotations

from party.bootstrap import PORT, SERVICE, build_app
from shared.serve import serve


def main() -> None:
    serve(build_app, service=SERVICE, default_port=PORT, tenants=True)


if __name__ == "__main__":
    main()
