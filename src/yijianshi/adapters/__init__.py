"""Adapters: files, databases, brokers and department systems behind the service ports."""
