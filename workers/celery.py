"""The worker entry point for ``celery -A workers worker``."""

from service import create_app

app = create_app().extensions["celery"]
