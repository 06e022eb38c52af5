"""The engines each worker process owns: one warm LibreOffice, and the control command about it.

Every worker process owns one warm LibreOffice (``OfficeProcess``), started when the process
starts and stopped when it ends, so conversions never wait for a cold start and two
processes never share one unoserver (it converts one document at a time).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from celery import current_app as current_celery
from celery.signals import worker_init, worker_process_init, worker_process_shutdown
from celery.worker.control import Panel, inspect_command

from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, office_states
from service.extensions import flask_app_of

_converters: dict[int, UnoserverConverter] = {}


def converter_for(config: Mapping[str, Any]) -> UnoserverConverter:
    """This process's converter: an external unoserver if configured, else its own."""
    pid = os.getpid()
    if pid not in _converters:
        address = config["UNOSERVER_ADDRESS"]
        if address:
            host, _, port = address.rpartition(":")
            _converters[pid] = UnoserverConverter(host=host or "127.0.0.1", port=int(port),
                                                  pdf_format=config["PDF_FORMAT"])
        else:
            command = config["UNOSERVER_COMMAND"] or default_unoserver_command()
            office = OfficeProcess(command, conversion_timeout=config["CONVERSION_TIMEOUT"],
                                   recycle_after=config["OFFICE_RECYCLE_AFTER"],
                                   memory_limit_mb=config["OFFICE_MEMORY_LIMIT_MB"],
                                   state_dir=office_state_dir(config), user=config["OFFICE_USER"])
            _converters[pid] = UnoserverConverter(office, pdf_format=config["PDF_FORMAT"])
    return _converters[pid]


def office_state_dir(config: Mapping[str, Any]) -> Path:
    """Where this machine's worker processes announce their LibreOffice (see ``offices``)."""
    return Path(config["DATA_DIR"]) / "offices"


@inspect_command()
def offices(state: Any, **_: Any) -> list[dict[str, object]]:
    """Remote control: each LibreOffice of this worker's processes, and whether it answers."""
    return office_states(office_state_dir(state.consumer.app.flask_app.config))


def limit_control(allowed: set[str]) -> list[str]:
    """Forget every remote-control command but *allowed*; the ones forgotten.

    A command not in the registry is answered "unknown command" by the worker, so whoever can
    reach the broker cannot ``shutdown`` the workers, revoke, rate-limit or resize the pool.
    """
    refused = sorted(name for name in Panel.data if name not in allowed)
    for name in refused:
        Panel.data.pop(name, None)
        Panel.meta.pop(name, None)
    return refused


@worker_init.connect
def _limit_control(sender: Any = None, **_: Any) -> None:
    app = sender.app if sender is not None else current_celery
    config = flask_app_of(app).config
    allowed = {name.strip() for name in str(config["WORKER_CONTROL_COMMANDS"]).split(",")}
    limit_control(allowed - {""})


@worker_process_init.connect
def _start_office(**_: Any) -> None:
    # start LibreOffice now (in the background) so the first task finds it warm
    converter = converter_for(flask_app_of(current_celery).config)
    if converter.office is not None:
        converter.office.start()


@worker_process_shutdown.connect
def _stop_office(**_: Any) -> None:
    converter = _converters.pop(os.getpid(), None)
    if converter is not None:
        converter.close()
