"""Recording a Session's runs in the run store as their events pass by."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gru_studio.engine.history.store import RunStore
from gru_studio.engine.history.store_errors import StoreError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
from gru_studio.engine.training.events import EpochEnd, Event, Finished


class RunRecorder:
    """Records a Session's runs in the store as their events pass by; the loop does not know.

    The store is opened on the thread that iterates (sqlite3 connections stay
    on the thread that made them). When it cannot be opened, or a write fails,
    `warn` is called once with the reason and the run goes on unrecorded:
    recording is never a reason for training to stop. The reason is a Phrase
    (English as text; the window may translate it).
    """

    def __init__(self, path: Path | None = None, warn: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.warn = warn or (lambda text: None)
        self.run_id: int | None = None
        self.notice: Phrase | None = None  # the last thing passed to warn
        self._store: RunStore | None = None
        self._ended = False  # the run's end is recorded

    def watch(self, session: Any, events: Iterator[Event]) -> Iterator[Event]:
        """`events` (from `session.train()`), unchanged, recording the run as they pass."""
        self.run_id, self._ended = None, False
        self._store = self._open()
        try:
            self._safely(lambda store: self._start(store, session))
            for event in events:
                if isinstance(event, EpochEnd) and session.history:
                    record = session.history[-1]  # the same epoch, with the model's training time
                    self._safely(lambda store, record=record: store.add_epoch(self._id(), record))
                elif isinstance(event, Finished):
                    status = "finished" if event.reason == "completed" else "stopped"
                    self._safely(lambda store, status=status: store.finish(self._id(), status))
                    self._ended = True
                yield event
        except GeneratorExit:
            self._end("stopped")  # the consumer walked away (the window's Stop, Ctrl-C): nothing trains on
            raise
        except Exception as exc:
            from gru_studio.engine.training.trainer import (
                DivergenceError,  # the trainer pulls in torch; this module need not
            )

            self._end("diverged" if isinstance(exc, DivergenceError) else "crashed", str(exc))
            raise
        except BaseException:
            self._end("stopped")  # KeyboardInterrupt, SystemExit: the user ended it
            raise
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()  # the session's loop ends now (its state: stopped), not whenever it is collected
            self.close()

    def set_outputs(self, *, sample: str | None = None, checkpoint: str | Path | None = None) -> None:
        """The final sample and the saved checkpoint (also an autosave during the run); on any thread.

        It uses a connection of its own, never the one the iterating thread records with:
        the window's autosave calls this on a job thread while the run goes on.
        """
        if self.run_id is None:
            return
        store, notice = RunStore.open(self.path)
        if store is None:
            self._say(notice or phrase(QT_TRANSLATE_NOOP("engine", "the run store cannot be opened")))
            return
        try:
            store.set_outputs(self.run_id, sample=sample, checkpoint=checkpoint)
        except StoreError as exc:
            self._say(
                phrase(QT_TRANSLATE_NOOP("engine", "{reason}; the saved model is not recorded"), reason=exc.phrase)
            )
        except sqlite3.Error as exc:
            self._say(
                phrase(
                    QT_TRANSLATE_NOOP(
                        "engine",
                        "the run store {path} could not be written ({reason}); the saved model is not recorded",
                    ),
                    path=store.path,
                    reason=str(exc),
                )
            )
        finally:
            store.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _open(self) -> RunStore | None:
        if self._store is not None:
            return self._store
        # A write that waits for another process's lock says so once (`train`: on stderr).
        store, notice = RunStore.open(self.path, on_wait=self._say)
        if notice is not None:
            self._say(notice)
        return store

    def _start(self, store: RunStore, session: Any) -> None:
        from gru_studio.engine.training.checkpoint import text_fingerprint

        self.run_id = store.start(
            session.corpus_config,
            session.model_config,
            session.train_config,
            corpus_name=session.corpus.name,
            corpus_sha1=text_fingerprint(session.corpus.tokens),
            device=str(session.device),
            start_epoch=session.epoch,
        )

    def _end(self, status: str, error: str | None = None) -> None:
        if self.run_id is not None and not self._ended:
            self._safely(lambda store: store.finish(self._id(), status, error=error))
            self._ended = True

    def _id(self) -> int:
        assert self.run_id is not None
        return self.run_id

    def _safely(self, action: Callable[[RunStore], Any]) -> Any:
        if self._store is None:
            return None
        try:
            return action(self._store)
        except StoreError as exc:  # locked too long, read-only, damaged (and moved aside): it says so itself
            self._say(phrase(QT_TRANSLATE_NOOP("engine", "{reason}; this run is not recorded"), reason=exc.phrase))
            self._store.close()
            self._store = None
            return None
        except sqlite3.Error as exc:
            self._say(
                phrase(
                    QT_TRANSLATE_NOOP(
                        "engine", "the run store {path} could not be written ({reason}); this run is not recorded"
                    ),
                    path=self._store.path,
                    reason=str(exc),
                )
            )
            self._store.close()
            self._store = None
            return None

    def _say(self, text: Phrase) -> None:
        self.notice = text
        self.warn(text)
