"""``kiosk-hub serve`` (the HTTP API under uvicorn) and ``kiosk-hub migrate``."""

from __future__ import annotations

import argparse
import os

from kiosk.cli.output import Output
from kiosk.hub.cli.common import UsageError, at_least

POOL_SIZE_ENV = "KIOSK_HUB_POOL_SIZE"
MAX_OVERFLOW_ENV = "KIOSK_HUB_MAX_OVERFLOW"


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    serve = sub.add_parser("serve", help="run the hub's HTTP API", parents=[common])
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument(
        "--pool-size",
        type=at_least(1),
        metavar="N",
        help=f"database connections kept per process (or ${POOL_SIZE_ENV}; PostgreSQL: 10)",
    )
    serve.add_argument(
        "--max-overflow",
        type=at_least(0),
        metavar="M",
        help=f"extra connections under load (or ${MAX_OVERFLOW_ENV}; PostgreSQL: 20)",
    )
    sub.add_parser(
        "migrate", help="bring the database to the newest schema, then exit", parents=[common]
    )


def _from_env(name: str, minimum: int) -> int | None:
    text = os.environ.get(name)
    if not text:
        return None
    try:
        return at_least(minimum)(text)
    except argparse.ArgumentTypeError as e:
        raise UsageError(f"kiosk-hub serve: ${name}: {e}") from None


def _serve(args: argparse.Namespace, out: Output) -> int:
    pool_size = args.pool_size if args.pool_size is not None else _from_env(POOL_SIZE_ENV, 1)
    max_overflow = (
        args.max_overflow if args.max_overflow is not None else _from_env(MAX_OVERFLOW_ENV, 0)
    )
    import uvicorn

    from kiosk.hub.app import create_app

    app = create_app(args.db, pool_size=pool_size, max_overflow=max_overflow)
    uvicorn.run(app, host=args.host, port=args.port)
    return 0


def _migrate(args: argparse.Namespace, out: Output) -> int:
    from kiosk.hub.db import HubDatabase, prepare

    db = HubDatabase(args.db)
    try:
        done = prepare(db)
    finally:
        db.close()
    if done.previous is None:
        human = f"hub database created at revision {done.revision}"
    elif done.previous != done.revision:
        human = f"hub database migrated from revision {done.previous} to {done.revision}"
    else:
        human = f"hub database already at revision {done.revision}"
    if done.projected:
        human += f"; {done.projected} earlier event(s) projected"
    out.emit(
        {
            "revision": done.revision,
            "previous": done.previous,
            "migrated": done.previous != done.revision,
            "projected": done.projected,
        },
        human,
    )
    return 0


HANDLERS = {"serve": _serve, "migrate": _migrate}
