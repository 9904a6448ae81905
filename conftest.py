"""Root conftest: the shared fixtures for real PostgreSQL and Kafka."""

pytest_plugins = ["shared.testing"]
