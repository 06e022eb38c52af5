"""Celery workers: ``celery -A workers worker`` finds ``workers.celery.app``."""
