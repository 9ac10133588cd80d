"""``python -m unspin.cli``: the ``unspin`` command."""

from unspin.cli import main

main(prog_name="unspin")
