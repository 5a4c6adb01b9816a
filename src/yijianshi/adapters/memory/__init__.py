"""In-memory stores: the fakes of the SQL adapters, for unit tests of use cases.

Each passes the same contract tests as the SQL adapter it stands for (tests/contracts/), so a
use case tested on them behaves as it does on SQLite and PostgreSQL.
"""
