"""`python -m supervision.main`: the supervision service on port 8103 (PORT overrides)."""

from shared.serve import serve
from supervision.bootstrap import PORT, SERVICE, build_app


def main() -> None:
    serve(build_app, service=SERVICE, default_port=PORT, tenants=True)


if __name__ == "__main__":
    main()
