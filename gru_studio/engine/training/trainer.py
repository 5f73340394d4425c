"""The training loop, written as a generator of plain events.

The loop knows nothing of who listens: the command line prints the events,
the window turns them into signals. Between batches it checks a RunControl,
so a run can be paused, resumed and stopped from another thread.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, validate_all
from gru_studio.engine.errors import CheckpointError, GruStudioError
from gru_studio.engine.hardware import distributed, threads
from gru_studio.engine.hardware.device import resolve_device
from gru_studio.engine.hardware.threads import Step, ThreadChooser, apply_threads
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase
from gru_studio.engine.models import build_model
from gru_studio.engine.models.generate import complete, prepare_prefix
from gru_studio.engine.text.batches import ALL_ROWS, check_enough, epoch_batches, sequential
from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.training import cuda_graph
from gru_studio.engine.training.checkpoint import Checkpoint, text_fingerprint
from gru_studio.engine.training.control import RunControl
from gru_studio.engine.training.events import BatchEnd, EpochEnd, EpochRecord, Event, Finished, Sample, ThreadsChosen
from gru_studio.engine.training.step import Figures, TrainStep, set_capturable

# A mean cross-entropy this high (perplexity e^50) is no model at all: even a
# uniform guess over a million characters scores 14. Past it, or at NaN or
# infinity, the run has diverged.
DIVERGED_LOSS = 50.0


class DivergenceError(GruStudioError):
    """The loss stopped being a finite number."""


class _EpochTotals(NamedTuple):
    loss_sum: float  # cross-entropy summed over every token of the epoch
    tokens: int
    grad_norms: tuple[float, ...]  # each batch's gradient norm, before clipping
    clipped_share: float  # of the epoch's batches, those whose norm was over the threshold
    seconds: float  # training time, pauses excluded

    @property
    def grad_norm(self) -> float:
        """Mean over the epoch's batches, before clipping."""
        return sum(self.grad_norms) / len(self.grad_norms)


class Trainer:
    """Owns a model, its optimizer and its data, and trains it epoch by epoch."""

    def __init__(
        self,
        model: nn.Module,
        corpus: Corpus,
        corpus_config: CorpusConfig,
        model_config: ModelConfig,
        train_config: TrainConfig,
        device: torch.device,
    ) -> None:
        self.model, self.corpus, self.device = model, corpus, device
        self.corpus_config, self.model_config, self.config = corpus_config, model_config, train_config
        cfg = train_config
        if corpus.tokens.size:
            self.train_tokens, self.val_tokens = check_run(corpus, corpus_config, cfg)
        else:  # a model opened without its text (Session.open(need_text=False)): it generates, never trains
            self.train_tokens = self.val_tokens = corpus.tokens
        self._fingerprint: str | None = None
        self.optimizer = make_optimizer(cfg.optimizer, model.parameters(), cfg.lr)
        self.rng = np.random.default_rng(cfg.seed)
        self.epoch = 0
        self.history: list[EpochRecord] = []
        # The trainer keeps its own copy of torch's (process-wide) RNG state
        # between runs and puts it back when a run starts: a continued run then
        # draws the same dropout masks as a straight one, whatever else used
        # the RNG in between (a model opened, text sampled).
        self._torch_rng = torch.get_rng_state()
        self._in_run = False
        self._rank_rngs: list[torch.Tensor] | None = None  # every rank's torch RNG, after a distributed run
        self._net: nn.Module = model  # what the batches go through: the model, or it under DDP
        self.threads: int | None = None  # torch's CPU threads in the current or last run (the chosen count)
        self._chooser: ThreadChooser | None = None  # measures an automatic count during a run on the CPU
        self._runner: cuda_graph.Runner | None = None  # trains the batches of the current run
        # The current or last run's CUDA graph: "on", "off", or why not ("no CUDA", ...; cuda_graph.py).
        self.cuda_graph: str | None = None
        self.graph_backend: cuda_graph.Backend | None = None  # None: CUDA's own graph; tests put in a fake

    def training_state(self) -> dict:
        """What, besides the weights, makes a resumed run continue exactly: optimizer and RNG states."""
        state = {
            "optimizer": self.optimizer.state_dict(),
            "numpy_rng": self.rng.bit_generator.state,
            # Mid-run (a copy taken between batches) the live state is the run's own.
            "torch_rng": torch.get_rng_state() if self._in_run else self._torch_rng.clone(),
        }
        if self._rank_rngs is not None:  # the numpy generator is shared by all ranks; torch's is each rank's own
            state["torch_rng_ranks"] = [rng.clone() for rng in self._rank_rngs]
        return state

    def restore(self, epoch: int, history: list[EpochRecord], state: dict) -> None:
        """Continue from a checkpoint written by `checkpoint()`."""
        self.epoch, self.history = epoch, list(history)
        self.optimizer.load_state_dict(state["optimizer"])
        self.rng.bit_generator.state = state["numpy_rng"]
        self._torch_rng = state["torch_rng"].clone()  # put back when the next run starts
        group, ranks = distributed.active(), state.get("torch_rng_ranks")
        if group is not None and ranks is not None and len(ranks) == group.world_size:
            self._torch_rng = ranks[group.rank].clone()

    def run(self, control: RunControl | None = None) -> Iterator[Event]:
        """Train until the configured number of epochs or a stop; yield what happens."""
        control = control or RunControl()
        group = distributed.active()
        distributed.check_batch(group, self.config.batch_size)  # before anything changes
        torch.set_rng_state(self._torch_rng)
        self._start_threads(group is None)
        self._in_run = True
        self._net = group.wrap(self.model, self.device) if group is not None else self.model
        try:
            self._runner = self._make_runner(group)  # a run's own: no run replays another's graph
            yield from self._run(control)
        except (torch.OutOfMemoryError, MemoryError):
            raise self._out_of_memory() from None
        except RuntimeError as exc:
            # The CPU allocator raises a plain RuntimeError, not OutOfMemoryError
            # ("DefaultCPUAllocator: can't allocate memory: you tried to allocate ...").
            if "can't allocate memory" not in str(exc):
                raise
            raise self._out_of_memory() from None
        finally:
            self._torch_rng, self._in_run = torch.get_rng_state(), False
            self._net = self.model  # let DDP's reducer go now, before the process group does
            if self._runner is not None:
                self.cuda_graph = self._runner.status
            self._runner = None  # and the graph with its memory
            control.close()  # nobody waits forever on a task submitted near the end

    def _out_of_memory(self) -> GruStudioError:
        # Drop what the failed batch held, so that the app (and the GPU) stay usable.
        self.optimizer.zero_grad(set_to_none=True)
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        if self.device.type == "cpu":
            elsewhere = phrase(QT_TRANSLATE_NOOP("engine", "use a smaller model"))
        else:
            elsewhere = phrase(QT_TRANSLATE_NOOP("engine", "train on the CPU"))
        return GruStudioError(
            QT_TRANSLATE_NOOP(
                "engine",
                "Out of memory on {device}: this model and batch do not fit. Lower the batch size, "
                "the number of steps or the hidden units, or {elsewhere}. The model is kept.",
            ),
            device=self.device,
            elsewhere=elsewhere,
        )

    def _run(self, control: RunControl) -> Iterator[Event]:
        cfg = self.config
        if not self.train_tokens.size:
            raise CheckpointError(
                QT_TRANSLATE_NOOP(
                    "engine", "This model was opened without its text, so it can generate but not train on."
                )
            )
        start_epoch = self.epoch
        # The model's training time before this run; unknown in older checkpoints, then counted from here.
        before_s = (self.history[-1].elapsed_s if self.history else None) or 0.0
        tokens = train_s = 0.0
        last: EpochEnd | None = None
        reason = "completed"
        while self.epoch < cfg.epochs:
            totals = yield from self._train_epoch(control)
            if totals is None:
                reason = "stopped"
                break
            tokens += totals.tokens
            train_s += totals.seconds
            self.epoch += 1
            last = EpochEnd(
                self.epoch,
                cfg.epochs,
                perplexity_of(totals.loss_sum / totals.tokens, self.config),
                self.validate(),
                totals.tokens / totals.seconds,
                train_s,
                run_start_epoch=start_epoch,
                grad_norm=totals.grad_norm,
                clipped_share=totals.clipped_share,
                grad_norms=totals.grad_norms,
            )
            self.history.append(
                EpochRecord(
                    last.epoch,
                    last.perplexity,
                    last.val_perplexity,
                    last.tokens_per_s,
                    last.grad_norm,
                    before_s + train_s,
                )
            )
            yield last
            if cfg.sample_every and self.epoch % cfg.sample_every == 0:
                yield Sample(self.epoch, self.sample())
            if control.stopped:
                reason = "stopped" if self.epoch < cfg.epochs else "completed"
                break
        group = distributed.active()
        if group is not None:  # a collective, so here where every rank passes, not at save time (rank 0's)
            self._rank_rngs = group.gather_rng()
        yield Finished(
            reason,
            self.epoch,
            last.perplexity if last else None,
            last.val_perplexity if last else None,
            tokens / train_s if train_s else 0.0,
            train_s,
            run_start_epoch=start_epoch,
        )

    def _train_epoch(self, control: RunControl) -> Iterator[Event]:
        """One pass; returns its _EpochTotals, or None when stopped."""
        cfg, model, runner = self.config, self.model, self._runner
        assert runner is not None  # made by run()
        partition = self.corpus_config.partition
        group = distributed.active()
        rows = group.rows(cfg.batch_size) if group is not None else ALL_ROWS  # this rank's share of each batch
        total, stream = epoch_batches(self.train_tokens, cfg.batch_size, cfg.num_steps, partition, self.rng, rows)
        model.train()
        last_good = self._snapshot()
        # On a GPU this check would be a sync point; across ranks, one rank's
        # loss alone could stop it while the others wait in a collective.
        check_each_batch = self.device.type == "cpu" and group is None
        # The loss sum and each batch's gradient norm (before clipping) are
        # accumulated by the step on the device (step.Figures) and read once per
        # epoch: reading them every batch would be a CPU-GPU sync point.
        runner.begin_epoch(total)
        count = batches = 0
        paused_s = 0.0
        chooser = self._chooser
        start = time.perf_counter()
        for batch, (X, Y) in enumerate(stream, 1):
            # Stop before pausing: a stopped run must end even if a Pause came after the Stop.
            if control.stopped:
                return None
            paused_s += control.wait_while_paused()
            if control.stopped:
                return None
            if chooser is not None:
                chooser.begin()
            X, Y = X.to(self.device, non_blocking=True), Y.to(self.device, non_blocking=True)
            # A sequential epoch carries its state from batch to batch; a random one starts each afresh.
            loss = runner(X, Y, fresh=batch == 1 or partition == "random")
            if check_each_batch:  # after the update: a diverged batch's weights are put back all the same
                self._fall_back_if_diverged(loss.item(), last_good)
            step = chooser.end(Y.numel()) if chooser is not None else None
            count += Y.numel()
            batches += 1
            yield BatchEnd(self.epoch + 1, batch, total)
            if step is not None and (chosen := self._follow(step, batch)) is not None:
                yield chosen
        figures = runner.figures
        loss_sum = figures.loss_sum
        if group is not None:  # the loss of the whole batches, every rank's rows (equal shares)
            loss_sum = group.sum(loss_sum.detach().clone())
            count *= group.world_size
        # The one sync point of the epoch.
        loss_total, *grad_norms = torch.cat([loss_sum.view(1), figures.norms[:batches]]).tolist()
        self.cuda_graph = runner.status
        self._fall_back_if_diverged(loss_total / count, last_good)
        seconds = max(time.perf_counter() - start - paused_s, 1e-9)
        # Clipping scales a batch's gradients when their norm is over theta (see clip_gradients).
        clipped = sum(norm > cfg.clip for norm in grad_norms) if cfg.clip > 0 else 0
        return _EpochTotals(loss_total, count, tuple(grad_norms), clipped / len(grad_norms), seconds)

    def _make_runner(self, group: distributed.Group | None) -> cuda_graph.Runner:
        """This run's batch runner: the capturable step, in a CUDA graph where one is used (cuda_graph.py)."""
        cfg, model = self.config, self.model
        # The most batches an epoch can have (epoch_batches: its random offset only ever takes some away).
        capacity = (len(self.train_tokens) - 1) // cfg.batch_size // cfg.num_steps
        params = list(model.parameters())
        step = TrainStep(self._net, params, self.optimizer, cfg.clip, Figures(capacity, self.device))
        runner = cuda_graph.runner_for(
            step,
            lambda batch_size: model.begin_state(batch_size, self.device),
            setting=cfg.cuda_graph,
            device=self.device,
            model=model,
            distributed=group is not None,
            backend=self.graph_backend,
        )
        # Adam in a graph must be capturable, and a capturable Adam runs only on such a device.
        set_capturable(self.optimizer, runner.status == cuda_graph.PENDING and self.device.type == "cuda")
        self.cuda_graph = runner.status
        return runner

    def _start_threads(self, local: bool) -> None:
        """Set torch's CPU threads for this run, here, on the thread that trains (a thread that already ran
        torch work keeps its own count). An automatic count on the CPU is measured while training
        (threads.ThreadChooser); a fixed one, or one whose batches cannot be timed one by one (a GPU's
        are asynchronous, ranks wait for each other), is set once."""
        measured = self.device.type == "cpu" and local
        self._chooser = threads.chooser_for(self.config.threads) if measured else None
        count = self._chooser.threads if self._chooser is not None else threads.threads_for(self.config.threads)
        self.threads = apply_threads(count)

    def _follow(self, step: Step, batch: int) -> ThreadsChosen | None:
        """Train on with the count the chooser asks for; the event that says so when it chose one."""
        apply_threads(step.threads)
        choice = step.choice
        if choice is None:
            return None
        self.threads = choice.threads
        return ThreadsChosen(self.epoch + 1, batch, choice.threads, choice.previous, choice.reason, choice.tokens_per_s)

    def _snapshot(self) -> tuple[dict, dict]:
        """Weights and optimizer state, to fall back on if this epoch diverges."""
        weights = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        return weights, copy.deepcopy(self.optimizer.state_dict())

    def _fall_back_if_diverged(self, mean_loss: float, snapshot: tuple[dict, dict]) -> None:
        """On divergence, put back the epoch-start weights and optimizer state, then raise."""
        if mean_loss < DIVERGED_LOSS:  # False for NaN too
            return
        weights, optimizer = snapshot
        self.model.load_state_dict(weights)
        self.optimizer.load_state_dict(optimizer)
        raise divergence(mean_loss, self.config)

    def validate(self) -> float | None:
        """Perplexity on the held-out tail, reading it once in order."""
        if self.corpus_config.val_fraction <= 0:
            return None
        steps = self.config.num_steps
        batch_size = max(1, min(self.config.batch_size, (len(self.val_tokens) - 1) // steps))
        model = self.model
        model.eval()
        loss_sum, count = torch.zeros((), device=self.device), 0
        with torch.inference_mode():
            state = model.begin_state(batch_size, self.device)
            for X, Y in sequential(self.val_tokens, batch_size, steps, offset=0):
                logits, state = model(X.to(self.device), state)
                y = Y.T.reshape(-1).to(self.device)
                loss_sum += F.cross_entropy(logits, y, reduction="sum")
                count += y.numel()
        model.train()
        return perplexity_of(float(loss_sum) / count, self.config)

    def checkpoint(self) -> Checkpoint:
        """What `checkpoint.save` writes: the model with its vocabulary, settings, history and
        the optimizer and RNG states that make a resumed run continue exactly."""
        return Checkpoint(
            self.model,
            self.corpus.vocab,
            self.corpus.mode,
            self.corpus_config,
            self.model_config,
            self.config,
            self.epoch,
            self.history,
            self.training_state(),
            self._text_sha1(),
        )

    def _text_sha1(self) -> str | None:
        """The fingerprint of the tokens trained on, computed once (the text never changes under a trainer)."""
        if self._fingerprint is None and self.corpus.tokens.size:
            self._fingerprint = text_fingerprint(self.corpus.tokens)
        return self._fingerprint

    def checkpoint_copy(self) -> Checkpoint:
        """A copy on the CPU that later training does not change, to save from another thread."""
        copied = copy.deepcopy(self.checkpoint())
        copied.model = copied.model.cpu()
        return copied

    def sample(self) -> str:
        cfg = self.config
        return complete(self.model, self.corpus.vocab, cfg.prefix, cfg.sample_length, mode=self.corpus.mode)


def divergence(mean_loss: float, config: TrainConfig) -> DivergenceError:
    """The error for a loss that exploded, with advice that fits the run: Adam wants a learning rate
    near 0.01 (at 1 it diverges; 0.01 reached perplexity 3.0 in 19 epochs of the book's run), and
    clipping is suggested only when it is off."""
    if mean_loss > 0:
        how = phrase(QT_TRANSLATE_NOOP("engine", "exploded"))
    else:  # NaN compares False with everything
        how = phrase(QT_TRANSLATE_NOOP("engine", "became not a number"))
    if config.optimizer == "adam":
        advice = phrase(
            QT_TRANSLATE_NOOP(
                "engine", "Adam moves every weight by about the learning rate at each step: try about 0.01"
            )
        )
    elif config.clip == 0:
        advice = phrase(QT_TRANSLATE_NOOP("engine", "lower it, or turn gradient clipping on (the book's theta is 1)"))
    else:
        advice = phrase(QT_TRANSLATE_NOOP("engine", "lower it"))
    return DivergenceError(
        QT_TRANSLATE_NOOP(
            "engine",
            "Training diverged: the loss {how}. "
            "The learning rate ({lr:g}) is probably too high; {advice}, "
            "and train again. The model keeps its weights from before the epoch that diverged.",
        ),
        how=how,
        lr=config.lr,
        advice=advice,
    )


def perplexity_of(mean_loss: float, config: TrainConfig) -> float:
    if not mean_loss < DIVERGED_LOSS:  # also true for NaN
        raise divergence(mean_loss, config)
    return math.exp(mean_loss)


def check_data(corpus: Corpus, corpus_config: CorpusConfig, train: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """(training, validation) tokens, or an error when either is too short for these settings."""
    train_tokens, val_tokens = corpus.split(corpus_config.val_fraction)
    what = phrase(QT_TRANSLATE_NOOP("engine", "training text"))
    check_enough(len(train_tokens), train.batch_size, train.num_steps, corpus_config.partition, what)
    if corpus_config.val_fraction > 0 and len(val_tokens) < train.num_steps + 1:
        raise GruStudioError(
            QT_TRANSLATE_NOOP(
                "engine",
                "The validation tail has {tokens} tokens, fewer than one sequence of "
                "{needed}; raise the validation fraction or use a longer text.",
            ),
            tokens=len(val_tokens),
            needed=train.num_steps + 1,
        )
    return train_tokens, val_tokens


def check_run(corpus: Corpus, corpus_config: CorpusConfig, train: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """`check_data`, and the sample prefix when samples are asked for: all a run refuses before it starts."""
    tokens = check_data(corpus, corpus_config, train)
    if train.sample_every:
        prepare_prefix(train.prefix, corpus.vocab, corpus.mode)  # fail now, not at epoch 10
    return tokens


def make_optimizer(name: str, params: object, lr: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr)


def resume_trainer(saved: Checkpoint, corpus: Corpus, epochs: int, device: str) -> Trainer:
    """A trainer that continues `saved` on `corpus` until `epochs` in total."""
    if corpus.vocab != saved.vocab or corpus.mode != saved.mode:
        raise CheckpointError(
            QT_TRANSLATE_NOOP(
                "engine",
                "The text is not the one this model was trained on (its characters differ), "
                "so training cannot continue on it.",
            )
        )
    train_config = dataclasses.replace(saved.train_config, epochs=epochs, device=device)
    validate_all(saved.corpus_config, saved.model_config, train_config)
    target = resolve_device(device)
    trainer = Trainer(saved.model.to(target), corpus, saved.corpus_config, saved.model_config, train_config, target)
    if saved.training:
        trainer.restore(saved.epoch, saved.history, saved.training)
    else:
        trainer.epoch, trainer.history = saved.epoch, list(saved.history)
    if not corpus.tokens.size:
        trainer._fingerprint = saved.text_sha1  # opened without its text: a save keeps the text's fingerprint
    return trainer


def create_trainer(
    corpus: Corpus, corpus_config: CorpusConfig, model_config: ModelConfig, train_config: TrainConfig
) -> Trainer:
    """Validate the settings, seed, build the model on its device and wrap it in a Trainer."""
    validate_all(corpus_config, model_config, train_config)
    device = resolve_device(train_config.device)
    torch.manual_seed(train_config.seed)
    model = build_model(model_config, len(corpus.vocab)).to(device)
    return Trainer(model, corpus, corpus_config, model_config, train_config, device)
