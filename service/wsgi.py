"""WSGI entry point: ``gunicorn service.wsgi:app``."""

from service import create_app, isolation

app = create_app()
isolation.warm()  # the bounded checks' forkserver imports the service while nothing waits for it
