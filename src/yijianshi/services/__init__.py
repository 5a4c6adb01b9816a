"""Use cases over the domain; what they need from outside is declared in `ports`."""
