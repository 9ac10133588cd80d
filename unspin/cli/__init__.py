"""The ``unspin`` command: a thin shell over the library, one module per group of commands.

:mod:`unspin.cli.app` holds the command group and what the commands share (options, error
lines, progress bars); each other module adds its commands to it when imported here.
"""

from unspin.cli import bench, check, crawl, index, serve  # noqa: F401  (each adds its commands)
from unspin.cli.app import main
from unspin.cli.spin import spin

main.add_command(spin)

__all__ = ["main"]
