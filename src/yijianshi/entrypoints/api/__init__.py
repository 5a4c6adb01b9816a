"""The HTTP API (FastAPI, OpenAPI 3.1): `create_app(container)` builds it."""
