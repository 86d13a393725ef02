"""``confide keys``: the encryption key ring (init, rotate)."""

from __future__ import annotations

import typer
from rich.progress import Progress

from confide.adapters.crypto import load_key_ring, write_key_ring
from confide.cli.common import console, container, handles_errors, state
from confide.domain.access import LOCAL_OPERATOR


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Encryption keys for sensitive values at rest.", no_args_is_help=True)
    app.add_typer(group, name="keys")

    @group.command()
    @handles_errors
    def init(ctx: typer.Context) -> None:
        """Create the key file (mode 0600) if it does not exist."""
        settings = state(ctx).settings()
        path = settings.effective_key_file
        existed = path.exists()
        load_key_ring(path, create=True)
        console.print(f"Key file {path} {'already exists' if existed else 'created'}.")

    @group.command()
    @handles_errors
    def rotate(ctx: typer.Context) -> None:
        """Add a new active key and re-encrypt every sealed value with it; old keys stay readable."""
        settings = state(ctx).settings()
        if settings.keys is not None:
            console.print(
                "[red]CONFIDE_KEYS is set: rotate the key ring where it is kept, then re-run.[/]"
            )
            raise typer.Exit(1)
        new_ring = load_key_ring(settings.effective_key_file).with_new_active_key()
        write_key_ring(settings.effective_key_file, new_ring)
        with container(ctx, activate=False) as c, Progress(console=console) as progress:
            task = progress.add_task("Re-encrypting", total=None)
            count = c.keys.reencrypt(LOCAL_OPERATOR, lambda n: progress.update(task, completed=n))
        console.print(f"Active key is now {new_ring.active}; {count} value(s) re-encrypted.")
