"""Catalogue files (YAML, reviewable in git) <-> domain objects, and spreadsheet import."""
