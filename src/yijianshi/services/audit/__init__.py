"""The audit trail: what every area records of each change and read, and its verification."""
