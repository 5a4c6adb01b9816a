"""Sharing: electronic certificates (电子证照) in holders' wallets, shared registers, and the
verification of signed certificate files."""
