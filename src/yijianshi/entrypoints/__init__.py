"""Entry points: CLI, API, web pages and workers, thin over the service layer."""
