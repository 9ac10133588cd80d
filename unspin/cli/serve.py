"""`unspin serve`: the HTTP API and web page over one index."""

from __future__ import annotations


import click

from unspin.cli.app import main, err, db_option


# --- serve ---------------------------------------------------------------------------


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default answers this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="UNSPIN_TOKEN", default=None, show_envvar=True,
              help="Require 'Authorization: Bearer TOKEN' on the requests that change the index.")
@click.option("--max-request-bytes", type=click.IntRange(min=1), default=16 * 1024 * 1024, show_default=True,
              envvar="UNSPIN_MAX_REQUEST_BYTES", help="Answer a larger request body with 413.")
def serve(db: str | None, host: str, port: int, token: str | None, max_request_bytes: int) -> None:
    """Serve the web page and the JSON API over the index.

    Open http://127.0.0.1:8000/ to paste a text or drop a file and see its sources side
    by side; the API's documentation is at /docs. Needs the 'serve' extra:
    pip install 'unspin[serve]'.
    """
    try:
        import uvicorn

        from unspin.index import default_db_path
        from unspin.web.server import create_app, is_loopback, listening_socket
    except ImportError as error:
        raise click.ClickException(f"{error.name} is missing: install the server with pip install 'unspin[serve]'") from None
    path = db or default_db_path()
    if not is_loopback(host) and not token:
        err.print(f"[yellow]unspin: warning:[/yellow] listening on {host} without a token: anyone who can reach "
                  "it can change the index (set UNSPIN_TOKEN)")
    app = create_app(path, token=token or None, max_request_bytes=max_request_bytes)
    shown = f"[{host}]" if ":" in host else host
    # Bound here, not by uvicorn: a port in use is one line and exit status 1, and the
    # address is announced only once the server is listening on it.
    try:
        sock = listening_socket(host, port)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {shown}:{port}: {error.strerror or error}") from None
    err.print(f"unspin serving {path} on http://{shown}:{sock.getsockname()[1]}/ (API docs at /docs)"
              + ("; writes need the token" if token else ""))
    with sock:
        uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])
