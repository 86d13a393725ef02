"""``confide serve``: run the HTTP service (and, with --demo, set up the demo organization)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from confide.cli.common import console, container, handles_errors, state
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR, Role

DEMO_OFFICER = "demo-officer"


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def serve(
        ctx: typer.Context,
        demo: Annotated[
            bool,
            typer.Option(
                "--demo",
                help="Generate a demo organization if the store is empty and print a privacy-officer token.",
            ),
        ] = False,
        db_url: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
        host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
        port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
        demo_subjects: Annotated[
            int, typer.Option(help="Subjects in a new demo organization.")
        ] = 2000,
        seed: Annotated[int, typer.Option(help="Seed of the demo organization.")] = 42,
        workers: Annotated[
            int, typer.Option(min=1, max=64, help="HTTP server processes (default 1).")
        ] = 1,
        worker: Annotated[
            bool,
            typer.Option(
                help="Run the background worker in this process (embedded default); "
                "use --no-worker when `confide worker` runs apart."
            ),
        ] = True,
    ) -> None:
        """Start the service on the configured store (embedded default: SQLite, packaged policy)."""
        import uvicorn

        from confide.api.app import create_app
        from confide.jobs.worker import start_embedded_worker

        settings = state(ctx).settings(database_url=db_url, host=host, port=port)
        embedded = settings.database_url is None and settings.keys is None
        with container(ctx, create_key=embedded, database_url=db_url, host=host, port=port) as c:
            version = c.ctx.require_active().version_id
            console.print(f"Policy in force: [bold]{version}[/]")
            if demo:
                if c.subjects.page(LOCAL_OPERATOR, 0, 1)[1] == 0:
                    with console.status(
                        f"Generating the demo organization ({demo_subjects} subjects, seed {seed})..."
                    ):
                        report = c.demo.generate(LOCAL_OPERATOR, demo_subjects, seed)
                    console.print(
                        f"Demo organization: {report.subjects} subjects, "
                        f"{report.records} records of personal information."
                    )
                c.staff.ensure_user(LOCAL_OPERATOR, DEMO_OFFICER, [Role.PRIVACY_OFFICER.value])
                issued = c.staff.create_token(
                    LOCAL_OPERATOR, DEMO_OFFICER, "demo start-up", expires_in_days=7
                )
                console.print(
                    f"Privacy-officer API token (shown once, valid 7 days): [bold green]{issued.token}[/]"
                )
            base = f"http://{c.settings.host}:{c.settings.port}"
            console.print(f"Confide is listening on [bold]{base}[/] — API docs: {base}/docs")
            console.print(
                f"Staff console: {base}/console/ (sign in with a token) — "
                f"individuals' portal: {base}/portal/"
            )
            console.print(f"Try: curl -H 'Authorization: Bearer <token>' {base}/v1/staff/me")
            stop_worker = start_embedded_worker(c) if worker else None
            try:
                if workers == 1:
                    uvicorn.run(
                        create_app(c),
                        host=c.settings.host,
                        port=c.settings.port,
                        log_level="info",
                        access_log=False,
                        # Forwarded headers are believed only from the configured proxies
                        # (create_app adds that middleware); uvicorn's own default trusts
                        # loopback, which would let any local client choose its address.
                        proxy_headers=False,
                    )
                else:
                    # Each server process builds its own container from the same settings.
                    _export_settings(c.settings)
                    uvicorn.run(
                        "confide.api.app:create_app_from_env",
                        factory=True,
                        workers=workers,
                        host=c.settings.host,
                        port=c.settings.port,
                        log_level="info",
                        access_log=False,
                        # Forwarded headers are believed only from the configured proxies
                        # (create_app adds that middleware); uvicorn's own default trusts
                        # loopback, which would let any local client choose its address.
                        proxy_headers=False,
                    )
            finally:
                if stop_worker is not None:
                    stop_worker()


def _export_settings(settings: Settings) -> None:
    """Hand the effective settings to server processes through their environment."""
    os.environ["CONFIDE_DATA_DIR"] = str(settings.data_dir)
    os.environ["CONFIDE_DATABASE_URL"] = settings.effective_database_url
    os.environ["CONFIDE_KEY_FILE"] = str(settings.effective_key_file)
    os.environ["CONFIDE_AUDIT_KEY_FILE"] = str(settings.effective_audit_key_file)
    if settings.policy_file:
        os.environ["CONFIDE_POLICY_FILE"] = str(settings.policy_file)
