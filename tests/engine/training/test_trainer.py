import dataclasses
import threading
import time

import pytest
import torch

from gru_studio.engine.config import TrainConfig
from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.models import cpu_copy
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.control import RunControl
from gru_studio.engine.training.events import BatchEnd, EpochEnd, EpochRecord, Finished, Sample
from gru_studio.engine.training.step import clip_gradients
from gru_studio.engine.training.trainer import DivergenceError, create_trainer, perplexity_of
from tests.engine.loop_thread import act_after_first_event, wait_until


def make(settings, **train_changes):
    corpus_config, model_config, train_config = settings
    corpus = load_corpus(corpus_config)
    return create_trainer(corpus, corpus_config, model_config, dataclasses.replace(train_config, **train_changes))


def epochs_of(events):
    return [e for e in events if isinstance(e, EpochEnd)]


def learned(record: EpochRecord) -> tuple:
    """What a history record says about the model, leaving out the clock (speed and time)."""
    return record.epoch, record.perplexity, record.val_perplexity, record.grad_norm


@pytest.mark.parametrize("kind", ["scratch", "builtin"])
def test_training_lowers_perplexity(tiny_settings, kind: str) -> None:
    corpus_config, model_config, train_config = tiny_settings
    settings = (corpus_config, dataclasses.replace(model_config, kind=kind, hidden=32), train_config)
    events = list(make(settings, epochs=6, lr=2.0).run())
    ppl = [e.perplexity for e in epochs_of(events)]
    assert len(ppl) == 6
    assert ppl[-1] < ppl[0] * 0.85
    assert all(e.tokens_per_s > 0 for e in epochs_of(events))
    assert isinstance(events[-1], Finished) and events[-1].reason == "completed"


def test_events_come_in_order_with_samples_every_n_epochs(tiny_settings) -> None:
    events = list(make(tiny_settings, epochs=4, sample_every=2, sample_length=7).run())
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "BatchEnd" and kinds[-1] == "Finished"
    samples = [e for e in events if isinstance(e, Sample)]
    assert [s.epoch for s in samples] == [2, 4]
    assert samples[0].text.startswith("time traveller") and len(samples[0].text) == len("time traveller") + 7
    batch_events = [e for e in events if isinstance(e, BatchEnd) and e.epoch == 1]
    assert [b.batch for b in batch_events] == list(range(1, batch_events[0].batches + 1))


def test_same_seed_same_run_different_seed_different_run(tiny_settings) -> None:
    def run(seed):
        trainer = make(tiny_settings, seed=seed, epochs=2)
        ppl = [e.perplexity for e in epochs_of(trainer.run())]
        return ppl, torch.cat([p.detach().flatten() for p in trainer.model.parameters()])

    ppl_a, weights_a = run(7)
    ppl_b, weights_b = run(7)
    ppl_c, _ = run(8)
    assert ppl_a == ppl_b
    assert torch.equal(weights_a, weights_b)
    assert ppl_a != ppl_c


def test_stop_between_batches(tiny_settings) -> None:
    control = RunControl()
    events = []
    for event in make(tiny_settings, epochs=50).run(control):
        events.append(event)
        if isinstance(event, BatchEnd) and event.batch == 2:
            control.stop()
    assert [type(e) for e in events] == [BatchEnd, BatchEnd, Finished]
    assert events[-1].reason == "stopped" and events[-1].epoch == 0


def test_pause_blocks_the_loop_until_resumed(tiny_settings, monkeypatch) -> None:
    control = RunControl()
    events: list = []
    first_batch = threading.Event()

    def consume():
        for event in make(tiny_settings, epochs=2).run(control):
            events.append(event)
            if len(events) == 1:
                control.pause()
                first_batch.set()

    # A clock that jumps 1000 s while the loop is parked: a pause as long as that
    # without waiting for it, so the epoch's time shows whether it was counted.
    jump = [0.0]
    real_clock = time.perf_counter
    monkeypatch.setattr(time, "perf_counter", lambda: real_clock() + jump[0])
    worker = threading.Thread(target=consume)
    worker.start()
    assert first_batch.wait(10)
    assert wait_until(lambda: control.parked), "the paused loop never reached its batch boundary"
    assert len(events) == 1 and control.paused  # parked after one batch, nothing since
    jump[0] = 1000.0
    control.resume()
    worker.join(10)
    assert not worker.is_alive()
    assert events[-1].reason == "completed" and events[-1].epoch == 2
    # Time spent paused is not training time.
    assert epochs_of(events)[0].elapsed_s < 1000


def test_stop_wakes_a_paused_run(tiny_settings) -> None:
    control = RunControl()
    control.pause()
    done = []
    worker = threading.Thread(target=lambda: done.extend(make(tiny_settings).run(control)))
    worker.start()
    assert wait_until(lambda: control.parked)  # asleep at the first batch boundary
    control.stop()
    worker.join(10)
    assert not worker.is_alive() and done[-1].reason == "stopped"


def test_validation_perplexity_when_asked(tiny_settings) -> None:
    corpus_config, model_config, train_config = tiny_settings
    with_val = (dataclasses.replace(corpus_config, val_fraction=0.2), model_config, train_config)
    ends = epochs_of(make(with_val, epochs=2).run())
    assert all(e.val_perplexity is not None and 1 < e.val_perplexity < 100 for e in ends)
    assert all(e.val_perplexity is None for e in epochs_of(make(tiny_settings, epochs=1).run()))


def test_random_partition_and_adam_train(tiny_settings) -> None:
    corpus_config, model_config, train_config = tiny_settings
    settings = (dataclasses.replace(corpus_config, partition="random"), model_config, train_config)
    ppl = [e.perplexity for e in epochs_of(make(settings, optimizer="adam", lr=0.01, epochs=4).run())]
    assert ppl[-1] < ppl[0]


def test_clip_gradients_caps_the_joint_norm() -> None:
    a, b = torch.nn.Parameter(torch.zeros(3)), torch.nn.Parameter(torch.zeros(4))
    a.grad, b.grad = torch.full((3,), 3.0), torch.full((4,), 4.0)
    norm = clip_gradients([a, b], 1.0)
    assert norm.item() == pytest.approx((3 * 9 + 4 * 16) ** 0.5)  # what it returns: the norm before clipping
    assert torch.cat([a.grad, b.grad]).norm().item() == pytest.approx(1.0)
    a.grad, b.grad = torch.full((3,), 0.01), torch.full((4,), 0.01)
    clip_gradients([a, b], 1.0)
    assert a.grad[0].item() == pytest.approx(0.01)  # under theta: untouched


def test_a_non_finite_loss_names_the_learning_rate_with_advice_that_fits_the_run() -> None:
    with pytest.raises(DivergenceError, match="learning rate") as sgd:
        perplexity_of(float("nan"), TrainConfig(lr=50.0))
    assert perplexity_of(0.0, TrainConfig()) == 1.0
    assert "lower it," in str(sgd.value) and "clipping" not in str(sgd.value)  # theta = 1 is on already
    with pytest.raises(DivergenceError) as unclipped:
        perplexity_of(1e9, TrainConfig(lr=50.0, clip=0.0))
    assert "turn gradient clipping on" in str(unclipped.value)
    with pytest.raises(DivergenceError) as adam:
        perplexity_of(1e9, TrainConfig(lr=1.0, optimizer="adam"))
    assert "about 0.01" in str(adam.value) and "clipping" not in str(adam.value)


def test_a_prefix_the_text_cannot_spell_fails_before_training(tiny_settings) -> None:
    with pytest.raises(GruStudioError, match="never saw"):
        make(tiny_settings, prefix="αβγ", sample_every=1)


def test_corpus_shorter_than_a_batch_is_refused(tiny_settings) -> None:
    with pytest.raises(GruStudioError, match="fewer than one batch"):
        make(tiny_settings, batch_size=2000)


def test_tasks_run_between_batches_while_paused_and_at_the_end(tiny_settings) -> None:
    control = RunControl()
    trainer = make(tiny_settings, epochs=2)
    seen = []
    events = trainer.run(control)
    next(events)  # first batch done
    on_thread = control.submit(lambda: seen.append(threading.get_ident()) or "copied")
    next(events)
    assert on_thread.result(timeout=1) == "copied" and seen == [threading.get_ident()]

    control.pause()
    worker = threading.Thread(target=lambda: list(events))
    worker.start()
    while_paused = control.submit(lambda: cpu_copy(trainer.model))
    copy = while_paused.result(timeout=5)
    assert worker.is_alive() and control.paused  # served without resuming
    assert copy is not trainer.model and not next(copy.parameters()).requires_grad
    control.resume()
    worker.join(10)
    assert control.submit(lambda: "after") is None  # the loop has ended: nothing to wait for


def test_divergence_stops_at_once_and_keeps_the_last_good_weights(tiny_settings) -> None:
    trainer = make(tiny_settings, lr=1000.0, clip=0.0, epochs=5)
    before = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    events = []
    with pytest.raises(DivergenceError, match="learning rate") as info:
        for event in trainer.run():
            events.append(event)
    assert "1000" in str(info.value)
    assert not any(isinstance(e, EpochEnd) for e in events)  # it stopped within the first epoch
    assert trainer.epoch == 0
    for name, value in trainer.model.state_dict().items():
        assert torch.isfinite(value).all() and torch.equal(value, before[name]), name


# Dropout between two layers draws from torch's RNG in every batch, and random batches from numpy's:
# a resumed run matches a straight one only if both generators are put back as they were.
RNG_MODEL = {"kind": "builtin", "layers": 2, "dropout": 0.2}


def rng_settings(settings):
    corpus_config, model_config, train_config = settings
    return (
        dataclasses.replace(corpus_config, partition="random"),
        dataclasses.replace(model_config, **RNG_MODEL),
        train_config,
    )


def test_resume_continues_exactly(tiny_settings, tmp_path) -> None:
    from gru_studio.engine.training import checkpoint
    from gru_studio.engine.training.trainer import resume_trainer

    settings = rng_settings(tiny_settings)
    straight = make(settings, epochs=4, optimizer="adam", lr=0.01)
    list(straight.run())
    first = make(settings, epochs=2, optimizer="adam", lr=0.01)
    list(first.run())
    checkpoint.save(tmp_path / "half.pt", first.checkpoint())
    torch.manual_seed(12345)  # whatever happened in between must not matter
    saved = checkpoint.load(tmp_path / "half.pt")
    second = resume_trainer(saved, first.corpus, 4, "cpu")
    ends = [e for e in second.run() if isinstance(e, EpochEnd)]
    assert [e.epoch for e in ends] == [3, 4]
    assert [learned(h) for h in second.history] == [learned(h) for h in straight.history]
    for (name, a), b in zip(straight.model.state_dict().items(), second.model.state_dict().values(), strict=True):
        assert torch.equal(a, b), name

    # The check above is worth something only if torch's RNG changes the run: with another
    # torch state the same resume ends elsewhere.
    other = checkpoint.load(tmp_path / "half.pt")
    other.training["torch_rng"] = torch.manual_seed(999).get_state()
    third = resume_trainer(other, first.corpus, 4, "cpu")
    list(third.run())
    assert [learned(h) for h in third.history][2:] != [learned(h) for h in straight.history][2:]


def test_a_ranks_own_torch_rng_is_put_back_on_resume(tiny_settings, monkeypatch) -> None:
    from gru_studio.engine.hardware import distributed

    trainer = make(tiny_settings)
    state = trainer.training_state()
    ranks = [torch.manual_seed(seed).get_state() for seed in (100, 101)]
    state["torch_rng"], state["torch_rng_ranks"] = ranks[0], ranks  # rank 0 writes the checkpoint

    monkeypatch.setattr(distributed, "_active", distributed.Group(1, 2, 1, "gloo"))
    trainer.restore(0, [], state)
    assert torch.equal(trainer.training_state()["torch_rng"], ranks[1])  # rank 1 goes on with its own

    monkeypatch.setattr(distributed, "_active", distributed.Group(0, 2, 0, "gloo"))
    trainer.restore(0, [], state)
    assert torch.equal(trainer.training_state()["torch_rng"], ranks[0])

    monkeypatch.setattr(distributed, "_active", None)  # one process continuing a two-process run: rank 0's
    trainer.restore(0, [], state)
    assert torch.equal(trainer.training_state()["torch_rng"], ranks[0])


def test_out_of_memory_becomes_a_clear_message(tiny_settings, monkeypatch) -> None:
    trainer = make(tiny_settings)

    def too_big(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(trainer.model, "forward", too_big)
    with pytest.raises(GruStudioError, match="Out of memory on cpu") as info:
        list(trainer.run())
    assert "batch size" in str(info.value)
    monkeypatch.undo()
    assert any(isinstance(e, EpochEnd) for e in trainer.run())  # still usable afterwards


def test_stop_then_pause_still_ends_the_run(tiny_settings) -> None:
    # The window's old defect: Stop, then Pause before the loop saw the Stop, parked the run for good.
    control = RunControl()

    def stop_then_pause() -> None:
        control.stop()
        control.pause()

    events, parked = act_after_first_event(make(tiny_settings, epochs=50).run(control), control, stop_then_pause)
    assert not parked and not control.paused
    assert isinstance(events[-1], Finished) and events[-1].reason == "stopped"


def test_grad_norm_is_the_mean_norm_before_clipping(tiny_settings, monkeypatch) -> None:
    import gru_studio.engine.training.step as step_module

    norms: list[float] = []

    def spy(params, theta):
        norm = clip_gradients(params, theta)
        norms.append(float(norm))
        return norm

    monkeypatch.setattr(step_module, "clip_gradients", spy)
    trainer = make(tiny_settings, epochs=1, clip=1e-3)
    (end,) = epochs_of(trainer.run())
    assert end.grad_norm == pytest.approx(sum(norms) / len(norms))
    assert end.grad_norm > 1e-3  # the norm before clipping, not after
    assert trainer.history[0].grad_norm == end.grad_norm
    unclipped = make(tiny_settings, epochs=1, clip=0.0)
    assert epochs_of(unclipped.run())[0].grad_norm > 0  # measured with clipping off too


def test_continued_run_counts_its_own_epochs_and_history_keeps_the_clock(tiny_settings) -> None:
    trainer = make(tiny_settings, epochs=2)
    first = epochs_of(trainer.run())
    trainer.config = dataclasses.replace(trainer.config, epochs=4)
    events = list(trainer.run())
    ends = epochs_of(events)
    assert [(e.epoch, e.run_start_epoch, e.run_epochs_done) for e in ends] == [(3, 2, 1), (4, 2, 2)]
    assert events[-1].run_start_epoch == 2 and events[-1].run_epochs_done == 2
    assert [h.epoch for h in trainer.history] == [1, 2, 3, 4]
    # The history's clock runs over the model's whole life; each run's own restarts at 0.
    lifetime = [h.elapsed_s for h in trainer.history]
    assert lifetime == sorted(lifetime) and lifetime[2] == pytest.approx(first[-1].elapsed_s + ends[0].elapsed_s)


def test_time_left_divides_by_this_runs_epochs() -> None:
    # Continued from epoch 500 to 1000: one epoch of this run took 0.2 s, so 499 more take 99.8 s.
    event = EpochEnd(501, 1000, 1.5, None, 1e5, 0.2, run_start_epoch=500)
    assert event.run_epochs_done == 1
    assert event.eta_s == pytest.approx(99.8)
    assert EpochEnd(10, 20, 1.5, None, 1e5, 5.0).eta_s == pytest.approx(5.0)  # a fresh run
