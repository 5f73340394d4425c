"""Progress over epochs, current perplexity, speed, elapsed time and ETA."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from gru_studio.engine.events import BatchEnd, EpochEnd, Finished


def clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class RunStatus(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(objectName="progressBar")
        self.perplexity = QLabel("perplexity —", objectName="perplexityLabel")
        self.speed = QLabel("— tokens/s", objectName="speedLabel")
        self.time = QLabel("", objectName="timeLabel")
        self.reset()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 2)
        for label in (self.perplexity, self.speed, self.time):
            label.setMinimumWidth(120)
            layout.addWidget(label)

    def begin(self, epochs: int, start_epoch: int = 0) -> None:
        """A run from `start_epoch` (0 for a new model, more after Continue) up to `epochs` in total."""
        self.bar.setFormat("epoch %v of %m")
        self.bar.setRange(0, epochs)
        self.bar.setValue(start_epoch)
        self._clear_figures()
        self.time.setText("starting…")

    def on_batch(self, event: BatchEnd) -> None:
        self.bar.setToolTip(f"epoch {event.epoch}, batch {event.batch} of {event.batches}")

    def on_epoch(self, event: EpochEnd) -> None:
        self.bar.setValue(event.epoch)
        val = f" · val {event.val_perplexity:.3f}" if event.val_perplexity is not None else ""
        self.perplexity.setText(f"perplexity {event.perplexity:.3f}{val}")
        self.speed.setText(f"{event.tokens_per_s:,.0f} tokens/s")
        self.speed.setToolTip("Training speed of the last epoch")
        # eta_s shares this run's time over this run's epochs only, not over
        # the epochs the model had before Continue.
        self.time.setText(f"{clock(event.elapsed_s)} elapsed · {clock(event.eta_s)} left")

    def finish(self, event: Finished) -> None:
        """Say how the run ended; the speed shown becomes the run's average, as in the status bar."""
        self.bar.setValue(event.epoch)
        if event.reason == "completed":
            self.bar.setFormat("done · %v of %m epochs")
            self.time.setText(f"done in {clock(event.elapsed_s)}")
        else:
            self.bar.setFormat("stopped at epoch %v of %m")
            self.time.setText(f"stopped after {clock(event.elapsed_s)}")
        if event.tokens_per_s:
            self.speed.setText(f"{event.tokens_per_s:,.0f} tokens/s avg")
            self.speed.setToolTip("Average training speed over the whole run")

    def fail(self) -> None:
        """The run ended on an error (shown beside the buttons); nothing is left to wait for."""
        self.bar.setFormat("failed at epoch %v of %m")
        self.time.setText("failed")

    def reset(self) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setFormat("no run yet")
        self._clear_figures()
        self.time.setText("")

    def _clear_figures(self) -> None:
        self.perplexity.setText("perplexity —")
        self.speed.setText("— tokens/s")
        self.speed.setToolTip("")
