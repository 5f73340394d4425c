"""Progress over epochs, current perplexity, speed, elapsed time and ETA.

Two speeds describe a run, and they differ: after a run this bar shows the
"overall" one, all the run's tokens over all its training time (Finished), and
the Runs table shows the mean of its epochs' speeds. Both leave out evaluation,
samples and pauses; the mean is higher when some epochs were slower than others
(the first, while the thread count is measured: 112,537 against 92,163 in
issue 30), so each is named for what it is, here and in the table's header.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from gru_studio.engine.hardware import threads
from gru_studio.engine.training.events import BatchEnd, EpochEnd, Finished, ThreadsChosen

# Where the run is; each phase has its own wording of the bar and the time.
NO_RUN, RUNNING, DONE, STOPPED, FAILED = "none", "running", "done", "stopped", "failed"


def clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class RunStatus(QWidget):
    """Keeps the run's last events, not their wording, so that a change of language rewrites every figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(objectName="progressBar")
        self.perplexity = QLabel(objectName="perplexityLabel")
        self.speed = QLabel(objectName="speedLabel")
        self.time = QLabel("", objectName="timeLabel")
        self._phase = NO_RUN
        self._batch: BatchEnd | None = None
        self._epoch: EpochEnd | None = None
        self._finished: Finished | None = None
        self._threads: list[ThreadsChosen] = []  # an automatic count's choices in this run: the first, then switches
        self.reset()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 2)
        for label in (self.perplexity, self.speed, self.time):
            label.setMinimumWidth(120)
            layout.addWidget(label)

    # -- what happened ----------------------------------------------------------------

    def begin(self, epochs: int, start_epoch: int = 0) -> None:
        """A run from `start_epoch` (0 for a new model, more after Continue) up to `epochs` in total."""
        self.bar.setRange(0, epochs)
        self.bar.setValue(start_epoch)
        self._phase, self._batch, self._epoch, self._finished = RUNNING, None, None, None
        self._threads = []
        self.retranslate()

    def on_threads(self, event: ThreadsChosen) -> None:
        """The CPU threads chosen by measuring (the first choice, or a switch): said in the speed's tooltip."""
        self._threads.append(event)
        self._show_figures()

    def on_batch(self, event: BatchEnd) -> None:
        self._batch = event
        self._show_batch()  # only the tooltip: batches come far more often than epochs

    def on_epoch(self, event: EpochEnd) -> None:
        self.bar.setValue(event.epoch)
        self._epoch = event
        self._show_figures()
        self._show_time()

    def finish(self, event: Finished) -> None:
        """Say how the run ended; the speed shown becomes the run's average, as in the status bar."""
        self.bar.setValue(event.epoch)
        self._phase = DONE if event.reason == "completed" else STOPPED
        self._finished = event
        self.retranslate()

    def fail(self) -> None:
        """The run ended on an error (shown beside the buttons); nothing is left to wait for."""
        self._phase = FAILED
        self.retranslate()

    def reset(self) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self._phase, self._batch, self._epoch, self._finished = NO_RUN, None, None, None
        self._threads = []
        self.retranslate()

    # -- saying it ----------------------------------------------------------------------

    def retranslate(self) -> None:
        self._show_bar()
        self._show_batch()
        self._show_figures()
        self._show_time()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_bar(self) -> None:
        # %v and %m are the bar's own fields (value and maximum), filled in by QProgressBar.
        formats = {
            NO_RUN: self.tr("no run yet"),
            RUNNING: self.tr("epoch %v of %m"),
            DONE: self.tr("done · %v of %m epochs"),
            STOPPED: self.tr("stopped at epoch %v of %m"),
            FAILED: self.tr("failed at epoch %v of %m"),
        }
        self.bar.setFormat(formats[self._phase])

    def _show_batch(self) -> None:
        event = self._batch
        tip = "" if event is None else self.tr("epoch {epoch}, batch {batch} of {batches}")
        if event is not None:
            tip = tip.format(epoch=event.epoch, batch=event.batch, batches=event.batches)
        self.bar.setToolTip(tip)

    def _show_figures(self) -> None:
        epoch, finished = self._epoch, self._finished
        if epoch is None:
            self.perplexity.setText(self.tr("perplexity —"))
        elif epoch.val_perplexity is None:
            self.perplexity.setText(self.tr("perplexity {perplexity}").format(perplexity=f"{epoch.perplexity:.3f}"))
        else:
            self.perplexity.setText(
                self.tr("perplexity {perplexity} · val {val}").format(
                    perplexity=f"{epoch.perplexity:.3f}", val=f"{epoch.val_perplexity:.3f}"
                )
            )
        if finished is not None and finished.tokens_per_s:
            self.speed.setText(self.tr("{speed} tokens/s overall").format(speed=f"{finished.tokens_per_s:,.0f}"))
            self.speed.setToolTip(
                self.tr(
                    "All this run's tokens over all its training time (evaluation, samples and pauses excluded). "
                    "The Runs table's Mean tokens/s is the mean of the epochs' speeds: higher when some epochs "
                    "were slower than others."
                )
            )
        elif epoch is not None:
            self.speed.setText(self.tr("{speed} tokens/s").format(speed=f"{epoch.tokens_per_s:,.0f}"))
            self.speed.setToolTip(self.tr("Training speed of the last epoch"))
        else:
            self.speed.setText(self.tr("— tokens/s"))
            self.speed.setToolTip("")
        if self._threads:
            self.speed.setToolTip("\n".join(filter(None, [self.speed.toolTip(), self._threads_text()])))

    def _threads_text(self) -> str:
        """Each count chosen by measuring, when, why, and what each count gave then."""
        reasons = {
            threads.START: self.tr("first measurement"),
            threads.RECHECK: self.tr("checked again"),
            threads.STALLED: self.tr("training stalled"),
            threads.SLOWER: self.tr("training slowed down"),
            threads.FASTER: self.tr("training sped up"),
            threads.FREED: self.tr("the cores were free again"),
        }
        lines = [self.tr("CPU threads, chosen by measuring:")]
        for event in self._threads:
            speeds = ", ".join(
                self.tr("{threads}: stalled").format(threads=count)
                if speed is None
                else self.tr("{threads}: {speed} tokens/s").format(threads=count, speed=f"{speed:,.0f}")
                for count, speed in event.tokens_per_s
            )
            lines.append(
                self.tr("epoch {epoch}, batch {batch} → {threads} ({reason}; {speeds})").format(
                    epoch=event.epoch,
                    batch=event.batch,
                    threads=event.threads,
                    reason=reasons.get(event.reason, event.reason),
                    speeds=speeds,
                )
            )
        return "\n".join(lines)

    def _show_time(self) -> None:
        epoch, finished = self._epoch, self._finished
        if self._phase == NO_RUN:
            text = ""
        elif self._phase == FAILED:
            text = self.tr("failed")
        elif finished is not None:
            template = self.tr("done in {time}") if self._phase == DONE else self.tr("stopped after {time}")
            text = template.format(time=clock(finished.elapsed_s))
        elif epoch is not None:
            # eta_s shares this run's time over this run's epochs only, not over
            # the epochs the model had before Continue.
            text = self.tr("{elapsed} elapsed · {left} left").format(
                elapsed=clock(epoch.elapsed_s), left=clock(epoch.eta_s)
            )
        else:
            text = self.tr("starting…")
        self.time.setText(text)
