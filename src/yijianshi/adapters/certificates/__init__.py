"""Electronic certificates outside the database: Ed25519 keys and signed certificate files."""
