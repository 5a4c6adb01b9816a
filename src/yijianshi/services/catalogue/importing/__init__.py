"""Importing an implementation-list spreadsheet (实施清单) into catalogue files."""
