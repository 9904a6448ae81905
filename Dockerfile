# One image for every Lianxin service; docker-compose.yml picks the service with its command,
# e.g. `python -m relief.main`. Without Docker, use deploy/local/infra.sh and `make run`.
# The dashboard's chart library, from the npm registry (pinned by package-lock.json).
FROM node:20-slim AS assets
WORKDIR /frontend
COPY services/projection/frontend/package.json services/projection/frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# The same uv as the Makefile (UV_VERSION), so that uv.lock is read the same way.
RUN pip install --no-cache-dir uv==0.13.8

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# Then the project itself (installed in editable mode: the services' folders go on sys.path
# through pyproject's dev-mode-dirs). Only what runs is copied: no .venv, .local or .git.
COPY shared ./shared
COPY demo ./demo
COPY services ./services
COPY contracts ./contracts
COPY --from=assets /frontend/node_modules/echarts/dist/echarts.common.min.js \
     ./services/projection/projection/static/vendor/echarts.min.js
RUN uv sync --frozen --no-dev

ENV PATH="/app/.venv/bin:$PATH"

# Not root: nothing in a service needs it.
RUN useradd --system --uid 10001 --home-dir /app --no-create-home lianxin \
    && mkdir -p /app/.local \
    && chown lianxin /app/.local
USER lianxin

CMD ["python", "-m", "projection.main"]
