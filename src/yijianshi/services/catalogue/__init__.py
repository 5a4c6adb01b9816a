"""The catalogue: loading and checking it, planning one things from it, importing the
spreadsheets governments keep."""
