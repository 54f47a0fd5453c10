"""`regie serve`: the web app (calendar feeds, office pages) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8000,
) -> None:
    """Serve the office's web pages and the calendar feeds (REGIE_BASE_URL is the public URL)."""
    import uvicorn

    from regie.bootstrap import bootstrap
    from web.app import create_app

    app = bootstrap()
    app.settings.require_secret_key()  # sessions and CSRF tokens are signed: refuse to start
    app.ensure_schema()
    app.load_plan()  # a broken plan file is one line now, not an error page later
    typer.echo(f"Regie serving on http://{host}:{port} (public URL {app.settings.base_url})")
    uvicorn.run(
        create_app(app),
        host=host,
        port=port,
        log_level="warning",
        http="httptools",
        access_log=False,  # a line per feed refresh would cost more than the refresh itself
        server_header=False,
        proxy_headers=False,
    )
