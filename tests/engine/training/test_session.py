"""A Session, headless: set up, train, save, open, continue, and every state it passes through."""

from __future__ import annotations

import dataclasses
import threading

import pytest
import torch

from gru_studio.engine.errors import DeviceError, GruStudioError
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import EpochEnd, EpochRecord, Finished
from gru_studio.engine.training.run_state import RunState, TransitionError
from gru_studio.engine.training.session import Session
from gru_studio.engine.training.trainer import DivergenceError
from tests.engine.loop_thread import act_after_first_event


def new(settings, **train_changes) -> Session:
    corpus_config, model_config, train_config = settings
    return Session.new(corpus_config, model_config, dataclasses.replace(train_config, **train_changes))


def learned(record: EpochRecord) -> tuple:
    """What a history record says about the model, leaving out the clock."""
    return record.epoch, record.perplexity, record.val_perplexity, record.grad_norm


def weights(session: Session) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in session.model.state_dict().items()}


def test_save_open_continue_is_exactly_one_straight_run(tiny_settings, tmp_path) -> None:
    # Dropout and Adam: the continued run needs torch's RNG and the optimizer's moments back too.
    corpus_config, model_config, train_config = tiny_settings
    settings = (
        corpus_config,
        dataclasses.replace(model_config, kind="builtin", layers=2, dropout=0.2),
        dataclasses.replace(train_config, optimizer="adam", lr=0.01),
    )
    straight = new(settings, epochs=4)
    list(straight.train())

    first = new(settings, epochs=2)
    assert first.state is RunState.IDLE and not first.has_model
    list(first.train())
    first.save(tmp_path / "half.pt")
    torch.rand(1000)  # whatever else uses torch's RNG in between must not matter
    opened = Session.open(tmp_path / "half.pt")
    assert opened.state is RunState.FINISHED and opened.epoch == 2
    torch.rand(1000)
    opened.continue_to(4)
    ends = [e for e in opened.train() if isinstance(e, EpochEnd)]

    assert [(e.epoch, e.run_start_epoch, e.run_epochs_done) for e in ends] == [(3, 2, 1), (4, 2, 2)]
    assert [learned(h) for h in opened.history] == [learned(h) for h in straight.history]
    for (name, a), b in zip(weights(straight).items(), weights(opened).values(), strict=True):
        assert torch.equal(a, b), name


def test_continue_in_the_same_session_counts_this_runs_epochs(tiny_settings) -> None:
    session = new(tiny_settings, epochs=2)
    list(session.train())
    session.continue_to(4)
    events = list(session.train())
    ends = [e for e in events if isinstance(e, EpochEnd)]
    # Time left divides this run's time by this run's epochs (1 and 2), not by the model's (3 and 4).
    assert [e.run_epochs_done for e in ends] == [1, 2]
    assert ends[0].eta_s == pytest.approx(ends[0].elapsed_s)
    assert events[-1].run_start_epoch == 2 and events[-1].epoch == 4
    assert [h.epoch for h in session.history] == [1, 2, 3, 4]
    assert session.train_config.epochs == 4


def test_states_over_a_sessions_life(tiny_settings, tmp_path) -> None:
    session = new(tiny_settings, epochs=1)
    seen = [session.state]
    events = session.train()
    seen.append(session.state)  # training as soon as train() returns, before any step
    for event in events:
        if isinstance(event, Finished):
            seen.append(session.state)  # already final when Finished comes out
    session.continue_to(2)
    list(session.train())
    seen.append(session.state)
    session.save(tmp_path / "m.pt")
    session.reset()
    seen.append(session.state)
    assert seen == [RunState.IDLE, RunState.TRAINING, RunState.FINISHED, RunState.FINISHED, RunState.IDLE]
    assert not session.has_model and session.epoch == 0 and session.history == []
    with pytest.raises(TransitionError):
        session.reset()  # nothing to forget


def test_stop_then_pause_ends_the_run_without_a_resume(tiny_settings) -> None:
    session = new(tiny_settings, epochs=50)
    events = session.train()

    def stop_then_pause() -> None:
        assert session.stop() is True and session.state is RunState.STOPPING
        assert session.pause() is False and session.resume() is False  # Stop wins
        assert session.stop() is False  # asked once is enough

    events, parked = act_after_first_event(events, session.control, stop_then_pause)
    assert not parked
    assert isinstance(events[-1], Finished) and events[-1].reason == "stopped"
    assert session.state is RunState.STOPPED


def test_pause_and_resume_move_the_state_and_the_loop(tiny_settings) -> None:
    session = new(tiny_settings, epochs=2)
    assert session.pause() is False  # no run yet
    events = session.train()
    next(events)
    assert session.resume() is False  # not paused
    assert session.pause() is True and session.state is RunState.PAUSED and session.control.paused
    assert session.pause() is False
    assert session.resume() is True and session.state is RunState.TRAINING and not session.control.paused
    assert list(events)[-1].reason == "completed" and session.state is RunState.FINISHED
    assert session.resume() is False  # a finished run is not resumed into a new one


def test_a_diverging_run_fails_and_keeps_its_model(tiny_settings) -> None:
    session = new(tiny_settings, lr=1000.0, clip=0.0, epochs=3)
    with pytest.raises(DivergenceError):
        list(session.train())
    assert session.state is RunState.FAILED and session.has_model
    assert session.state.can_continue


def test_an_abandoned_run_is_stopped(tiny_settings) -> None:
    session = new(tiny_settings, epochs=50)
    events = session.train()
    next(events)
    events.close()  # the consumer was cancelled
    assert session.state is RunState.STOPPED
    assert session.control.submit(lambda: None) is None  # the loop is over: nobody waits on it


def test_no_second_run_while_one_is_under_way_and_no_continue_without_a_model(tiny_settings) -> None:
    session = new(tiny_settings, epochs=2)
    events = session.train()
    next(events)
    with pytest.raises(TransitionError):
        session.train()
    with pytest.raises(TransitionError):
        session.continue_to(5)
    list(events)
    fresh = new(tiny_settings)
    with pytest.raises(TransitionError):
        fresh.continue_to(5)  # idle: nothing to continue
    fresh.machine.to(RunState.FINISHED)
    with pytest.raises(RuntimeError, match="no model"):
        fresh.continue_to(5)


def test_the_device_is_checked_before_any_text_is_read(tiny_settings, tmp_path) -> None:
    corpus_config, model_config, train_config = tiny_settings
    missing = dataclasses.replace(corpus_config, source=str(tmp_path / "gone.txt"))
    with pytest.raises(DeviceError, match="Unknown device"):
        Session.new(missing, model_config, dataclasses.replace(train_config, device="tpu"))
    with pytest.raises(DeviceError, match="Unknown device"):
        Session.open(tmp_path / "gone.pt", device="tpu")


def test_a_loaded_corpus_is_used_as_it_is_and_the_prefix_fits_the_text(tiny_settings, tmp_path) -> None:
    corpus_config, model_config, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    # The window loads texts itself: the session must not read the source again.
    elsewhere = dataclasses.replace(corpus_config, source=str(tmp_path / "not-read.txt"))
    session = Session.new(elsewhere, model_config, train_config, corpus=corpus)
    assert session.corpus is corpus and session.train_config.prefix == "time traveller"
    with pytest.raises(GruStudioError, match="never saw"):
        Session.new(corpus_config, model_config, dataclasses.replace(train_config, prefix="αβγ", sample_every=1))


def test_save_and_generate_between_events_on_the_loops_own_thread(tiny_settings, tmp_path) -> None:
    session = new(tiny_settings, epochs=3)
    with pytest.raises(GruStudioError, match="no model"):
        session.save(tmp_path / "none.pt")
    for event in session.train():
        if isinstance(event, EpochEnd) and event.epoch == 1:
            session.save(tmp_path / "one.pt")  # would deadlock if it waited for the loop it is in
            mid_run = session.sample()
    saved = checkpoint.load(tmp_path / "one.pt")
    assert saved.epoch == 1 and [h.epoch for h in saved.history] == [1]
    assert mid_run.startswith("time traveller")
    assert len(session.sample()) == len("time traveller") + session.train_config.sample_length


def test_a_copy_while_paused_is_made_on_the_training_thread(tiny_settings) -> None:
    session = new(tiny_settings, epochs=2)
    events = session.train()
    session.pause()  # parks the loop at its first batch boundary
    worker = threading.Thread(target=lambda: list(events))
    worker.start()
    seen: list[int] = []
    copy = session.copier(lambda trainer: seen.append(threading.get_ident()) or trainer.epoch)
    assert copy() == 0 and seen == [worker.ident]  # made by the parked loop, on its thread
    session.resume()
    worker.join(10)
    assert session.copier(lambda trainer: trainer.epoch)() == 2  # after the run: made here
