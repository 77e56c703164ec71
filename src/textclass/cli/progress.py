"""Terminal progress for long jobs (compare, search), drawn with rich on stderr."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from textclass.experiments.compare import Reporter


def epoch_callback(on_epoch):
    """A Keras callback calling ``on_epoch(epoch, total_epochs)`` after each epoch."""
    import keras

    class EpochProgress(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            on_epoch(epoch + 1, self.params.get("epochs") or 0)

    return EpochProgress()


class _Live:
    """A display that holds a Rich ``Progress`` (``self.progress``) while in ``with``."""

    progress: Progress

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()


class RichCompareReporter(_Live, Reporter):
    """One bar over the models; its label shows the model, fold and epoch running."""

    def __init__(self, n_models: int, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.progress.add_task("models", total=n_models, detail="")
        self.model, self.fold, self.started = "", "", time.perf_counter()

    def _show(self, epoch: str = "") -> None:
        detail = " ".join(part for part in (self.model, self.fold, epoch) if part)
        self.progress.update(self.task, detail=detail)

    def start_model(self, name: str) -> None:
        self.model, self.fold = name, ""
        self._show()

    def start_fold(self, fold: int, folds: int) -> None:
        self.fold = f"fold {fold + 1}/{folds}"
        self._show()

    def keras_callbacks(self) -> list:
        return [epoch_callback(lambda e, n: self._show(f"epoch {e}/{n}"))]

    def end_model(self, name: str, row: dict) -> None:
        if row.get("error"):
            self.console.print(f"[red]{name} failed:[/red] {row['error']}")
        else:
            self.console.print(
                f"{name}: accuracy {row['accuracy']:.4f}, macro F1 {row['f1_macro']:.4f}, "
                f"{row['train_seconds']:.1f}s"
            )
        for warning in row.get("warnings", []):
            self.console.print(f"[yellow]warning: {name}:[/yellow] {warning}")
        self.progress.advance(self.task)


class RichSearchProgress(_Live):
    """``on_progress`` for :func:`textclass.experiments.search.run_search`: trials done / total,
    elapsed, estimated time left and the best score so far, one bar per group."""

    def __init__(self, scoring: str, console: Console | None = None) -> None:
        self.scoring = scoring
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("elapsed {task.fields[elapsed]}  left {task.fields[left]}"),
            TextColumn("best {task.fields[best]}"),
            console=self.console,
        )
        self.tasks: dict = {}

    def __call__(self, p) -> None:
        name = f"trials {p.group}" if p.group else "trials"
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(
                name, total=p.total, elapsed="0s", left="?", best="-"
            )
        best = f"{p.best['mean_score']:.4f} {p.best['params']}" if p.best else "-"
        self.progress.update(
            self.tasks[name],
            completed=p.done,
            elapsed=_duration(p.elapsed),
            left="?" if p.remaining is None else _duration(p.remaining),
            best=best,
        )
        if p.last is not None:
            self.console.print(
                f"  {p.last['params']}: {self.scoring} {p.last['mean_score']:.4f} "
                f"± {p.last['std_score']:.4f} ({p.last['fit_seconds']:.1f}s)"
            )


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class RichBatchProgress(_Live):
    """``on_progress`` for :func:`textclass.batch.score_files`: rows scored (of about how
    many), files done, the file being scored, rows per second and time left."""

    def __init__(self, console: Console | None = None) -> None:
        from rich.progress import TimeRemainingColumn

        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]scoring"),
            BarColumn(),
            TextColumn("{task.completed:,.0f}/{task.total:,.0f} rows"),
            TextColumn("files {task.fields[files]}"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}"),
            console=self.console,
        )
        self.task = None
        self.started = time.perf_counter()

    def __call__(self, p) -> None:
        if self.task is None:
            self.task = self.progress.add_task(
                "scoring", total=max(p.total_rows, 1), files="", rate="", current=""
            )
        seconds = time.perf_counter() - self.started
        self.progress.update(
            self.task,
            completed=p.rows,
            total=max(p.total_rows, p.rows, 1),  # CSV/JSONL totals are line counts
            files=f"{p.files}/{p.total_files}",
            rate=f"{p.rows / seconds:,.0f} rows/s" if seconds > 0 and p.rows else "",
            current=p.current or "",
        )
