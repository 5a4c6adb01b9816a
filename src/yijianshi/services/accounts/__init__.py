"""Accounts: logins with lockout, tokens, local accounts, and how window clerks identify and
register applicants."""
