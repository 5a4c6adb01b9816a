"""The domain core: pure Python, standard library only."""
