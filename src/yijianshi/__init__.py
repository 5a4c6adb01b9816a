"""yijianshi (一件事): deliver a life event as one thing."""

__version__ = "0.1.0"
