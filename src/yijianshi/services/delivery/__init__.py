"""Delivery: cases dispatched through the outbox to department gateways, retries and dead
letters, the worker's loop, and the simulation of whole runs."""
