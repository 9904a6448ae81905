"""`python -m relief.main`: the relief service on port 8101 (PORT overrides)."""

from relief.bootstrap import PORT, SERVICE, build_app
from shared.serve import serve


def main() -> None:
    serve(build_app, service=SERVICE, default_port=PORT, tenants=True)


if __name__ == "__main__":
    main()
