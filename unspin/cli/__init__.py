"""The ``unspin`` command: a thin shell over the library, one module per group of commands.

:mod:`unspin.cli.app` holds the command group and what the commands share (options, error
lines, progress bars); each other module adds its commands to it when imported, which the group
does when a command is asked for (``app.COMMAND_MODULES``).
"""

from unspin.cli.app import main

__all__ = ["main"]
