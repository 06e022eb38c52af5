"""Benchmarks of the running service; run each as ``.venv/bin/python -m bench.<name>``."""
