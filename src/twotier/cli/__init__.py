"""Command-line interface: a thin shell over the public Python API.

Every command takes ``--format table|csv|json``. Bad input prints one line,
``twotier: error: <argument>: <what is wrong>; accepted: <values>``, and exits
with status 2, without a traceback.
"""

from twotier.cli import (
    coverage_cmds,
    data_cmds,
    negotiation_cmds,
    projection_cmds,
    response_cmds,
    web_cmds,
)
from twotier.cli._app import app, main
from twotier.cli.web_cmds import serve

__all__ = [
    "app",
    "coverage_cmds",
    "data_cmds",
    "main",
    "negotiation_cmds",
    "projection_cmds",
    "response_cmds",
    "serve",
    "web_cmds",
]
