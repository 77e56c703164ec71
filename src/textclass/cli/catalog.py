"""Commands that list what textclass knows: the named datasets and the model families."""

from __future__ import annotations

from typing import Annotated

import typer

from textclass.cli.common import app
from textclass.cli.options import parse_pairs


@app.command()
def datasets() -> None:
    """List the named datasets, where they are cached, and whether they verified."""
    from textclass.data import registry

    for name in registry.dataset_names():
        spec = registry.get_spec(name)
        state = registry.status(spec)
        mark = "verified" if state["verified"] else "; ".join(state["problems"])
        parts = f" (parts: {', '.join(spec.parts)})" if spec.parts else ""
        typer.echo(
            f"{name}{parts}\n  {spec.description}\n  source: {spec.url}\n"
            f"  location: {state['location'] or '-'}: {mark}"
        )


@app.command()
def models(
    names: Annotated[
        list[str] | None, typer.Argument(help="Families to show (default: all)")
    ] = None,
    summary: Annotated[
        bool, typer.Option(help="Build each family and print its layers and parameter counts")
    ] = False,
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            help="Hyperparameter NAME=VALUE: the training defaults it implies, and --summary's "
            "model (repeatable)",
        ),
    ] = [],  # noqa: B006
    vocab_size: Annotated[
        int, typer.Option(help="Embedding rows / vocabulary for --summary (yelp split: 1747)")
    ] = 1747,
    maxlen: Annotated[int, typer.Option(help="Sequence length for --summary")] = 100,
    classes: Annotated[int, typer.Option(help="Number of classes for --summary")] = 2,
) -> None:
    """List the model families and their hyperparameters; --summary adds layers and parameters."""
    from textclass.errors import did_you_mean
    from textclass.models.registry import build_summary, describe, resolve

    params = parse_pairs(param)
    families = describe()
    if names:
        known = {f["name"] for f in families}
        unknown = [n for n in names if n not in known]
        if unknown:
            hints = "".join(did_you_mean(n, known) for n in unknown)
            raise typer.BadParameter(
                f"unknown model {', '.join(unknown)}{hints}; known: {', '.join(sorted(known))}",
                param_hint="NAMES",
            )
        families = [f for f in families if f["name"] in names]
    for family in families:
        own = {k: v for k, v in params.items() if k in family["hyperparameters"]}
        # a hyperparameter may change the training defaults (the encoder's mode does)
        defaults = (
            dict(resolve(family["name"], own).training_defaults) if own else family["training"]
        )
        typer.echo(
            f"{family['name']}: {family['description']}\n"
            f"    preprocessor {family['preprocessor']}, runtime {family['runtime']}; "
            f"training defaults: {_training_line(defaults)}"
        )
        if not own:
            for setting, variant in family["training_variants"].items():
                typer.echo(f"    with -p {setting}: {_training_line(variant)}")
        _print_hyperparameters(family)
        if summary:
            table, total, trainable = build_summary(
                family["name"], own, vocab_size=vocab_size, maxlen=maxlen, n_classes=classes
            )
            typer.echo(table)
            typer.echo(f"    total parameters {total:,}, trainable {trainable:,}\n")


def _print_hyperparameters(family: dict) -> None:
    """``name = default  help``, and the named values it takes (the encoder's presets)."""
    for key, info in family["hyperparameters"].items():
        typer.echo(f"    {key} = {info['default']!r}  {info['help']}")
        for choice in family["choices"].get(key, []):
            typer.echo(f"        {choice}")


def _training_line(defaults: dict) -> str:
    """``epochs 4, batch_size 16, ...`` and what the epochs mean (early stopping or not)."""
    from textclass.runtimes.base import DEFAULT_PATIENCE, DEFAULT_VALIDATION_SPLIT

    training = ", ".join(f"{k} {v}" for k, v in defaults.items()) or "none"
    if "epochs" in defaults:
        patience = defaults.get("early_stopping", DEFAULT_PATIENCE)
        training += (
            f" (epochs at most: without --epochs it stops after {patience} without "
            f"improvement on {DEFAULT_VALIDATION_SPLIT * 100:.0f} % held out)"
            if patience is not None
            else " (exactly these epochs: no early stopping unless --early-stopping N)"
        )
    return training
