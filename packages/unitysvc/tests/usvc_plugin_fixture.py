"""A ``usvc.commands`` plugin as a third-party package would ship it (see test_usvc)."""

import typer

app = typer.Typer(help="A plugin command group.")


@app.command("hello")
def hello(name: str = typer.Option("world", "--name")) -> None:
    """Greet."""
    typer.echo(f"hello {name} from the plugin")


@app.command("bye")
def bye() -> None:
    """Leave."""
    typer.echo("bye")
