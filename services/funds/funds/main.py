"""`python -m funds.main`: the funds service on port 8102 (PORT overrides)."""

from funds.bootstrap import PORT, SERVICE, build_app
from shared.serve import serve


def main() -> None:
    serve(build_app, service=SERVICE, default_port=PORT, tenants=True)


if __name__ == "__main__":
    main()
