"""``ctlex serve``: the team terminology service (JSON API and web page) on uvicorn."""

from __future__ import annotations

import click

from . import emit_json, glossary_option, json_option, tm_option


def _store_path(db: str | None) -> str:
    if db:
        return db
    from ..data import user_data_dir

    d = user_data_dir()
    d.mkdir(parents=True, exist_ok=True)
    return str(d / "serve.sqlite")


@click.command()
@click.option("--db", "db", default=None, metavar="FILE|URL",
              help="The service store: an SQLite file or a postgresql://… URL (created and seeded from the "
                   "glossary on first use). Default: serve.sqlite in the user data directory.")
@click.option("--database-url", default=None, metavar="URL", help="Same as --db postgresql://….")
@tm_option(help="Translation memory (an SQLite file or postgresql:// URL, as in ctlex tm) for TM search, concordance "
           "and suggest. Default: as `ctlex tm`.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8750, show_default=True)
@click.option("--anonymous-read", is_flag=True, help="Let callers without a token read (never write).")
@click.option("--max-body", type=click.IntRange(1, 100_000_000), default=1_000_000, show_default=True,
              help="Largest request body, in bytes (larger: 413).")
@click.option("--create-token", "create_token", type=click.Choice(["reader", "translator", "terminologist", "admin"]),
              default=None, help="Make an API token of this role, print it (once) and exit.")
@click.option("--name", default="", help="With --create-token: who the token is for (shown in the history).")
@click.option("--langs", default=None, help="With --create-token: languages a terminologist reviews, e.g. ar,en.")
@glossary_option
@json_option
def serve(db: str | None, database_url: str | None, tm_path: str | None, host: str, port: int, anonymous_read: bool,
          max_body: int, create_token: str | None, name: str, langs: str | None, glossary_path: str | None,
          as_json: bool) -> None:
    """Serve the glossary and TM to a team: JSON API, web page, review workflow.

    Readers look up; translators propose; terminologists approve, reject, edit and restore;
    admins manage tokens.  Every change is recorded (who, when, what, why) with a revision
    number per concept: an edit made on a stale revision is refused (409).  The API is
    described at /openapi.json; the page is at /.

    \b
    Example:
      ctlex serve --create-token admin --name "Lead terminologist"
      ctlex serve --create-token translator --name Samira
      ctlex serve --create-token terminologist --name Omar --langs ar
      ctlex serve --port 8750 --anonymous-read
      ctlex serve --db postgresql://ctlex@db.example/terms --tm postgresql://ctlex@db.example/terms
    """
    from ..errors import CtlexError
    from ..serve.stores import open_store
    from ..serve.service import Service
    from ..dburl import is_url

    if database_url:
        if db and db != database_url:
            raise click.UsageError("give the service store once: --db or --database-url")
        if not is_url(database_url):
            raise click.UsageError(f"--database-url: {database_url!r} is not a postgresql:// URL (a file goes to --db)")
        db = database_url
    store = open_store(_store_path(db))
    try:
        service = Service(store, glossary_path=glossary_path, tm_path=tm_path, anonymous_read=anonymous_read)
    except BaseException:
        store.close()
        raise
    try:
        if create_token:
            lang_list = [x.strip() for x in langs.split(",") if x.strip()] if langs else None
            tok = service.create_token(create_token, name, lang_list)
            if as_json:
                emit_json(tok)
            else:
                click.echo(tok["token"])
                click.echo(f"token {tok['id']} ({create_token}) for {tok['name']}: shown once, stored hashed in {store.path}",
                           err=True)
            return
        try:
            import uvicorn
        except ImportError:
            raise CtlexError("ctlex serve needs uvicorn and starlette: pip install 'ctlex[serve]'") from None
        import socket

        from ..serve.app import create_app

        try:  # a clear one-line error, not uvicorn's log, when the port is taken or the address wrong
            with socket.create_server((host, port)):
                pass
        except OSError as e:
            raise CtlexError(f"{host}:{port}: cannot listen ({e.strerror or e})") from None
        app = create_app(service, max_body=max_body)
        click.echo(f"ctlex serve: http://{host}:{port}/ (store {store.path}; anonymous reads "
                   f"{'on' if anonymous_read else 'off'})", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        service.close()
