"""The training step in a CUDA graph: captured once per run, replayed per batch, checked before it is kept.

On CUDA, the fast scratch GRU's step is hundreds of small kernels, each
launched by Python; a graph launches them all at once (measured on an H100,
DESIGN.md: 554,000 tokens/s replayed against 105,000 eager). How it goes:

- Static buffers: the batch's inputs and targets and the carried state live in
  tensors that never move; each batch is copied into them (the state only when
  a fresh one starts: a sequential run's state is carried in its buffer by the
  step itself). The figures (loss sum, gradient norms) are the step's own
  device buffers (step.Figures), read once per epoch.
- Capture, on the run's first batch: the same batch eagerly on a copy of the
  model and optimizer (the reference); a warm-up of the step on a side stream
  (which trains, so the weights, optimizer state, carried state and figures
  are put back afterwards); every `.grad` set to None; capture; one replay,
  which is the run's first batch.
- The check (`cuda_graph="auto"`): the replay's loss, weights and state must
  equal the reference's within 1e-5 relative. A mismatch or any exception puts
  back what the batch started from, trains it eagerly, and the run goes on
  eagerly, with one line in the log saying why (the trainer's `cuda_graph`).
- A batch of another shape runs eagerly; a new run captures anew (a runner
  lives for one run), so no run replays another's graph.

The graph itself is behind `Backend`, so that the tests can drive all of this
on the CPU with a fake one (`EagerBackend`, which runs what it was given).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Protocol

import torch
from torch import Tensor, nn

from gru_studio.engine.models.fast_scratch import FastScratchGRU
from gru_studio.engine.training.step import Figures, TrainStep

log = logging.getLogger(__name__)

ON, OFF, PENDING = "on", "off", "pending"  # PENDING: on CUDA, until the run's first batch has been checked
NO_CUDA = "no CUDA"
NOT_SCRATCH = "not the scratch model"
DISTRIBUTED = "a distributed run"
TOLERANCE = 1e-5  # relative, of the graph's loss and weights against the eager step's
WARM_UP = 3  # eager steps on a side stream before capture (what the PyTorch docs do)

BeginState = Callable[[int], Tensor]  # batch size -> a fresh state on the device


class Backend(Protocol):
    def warm_up(self, fn: Callable[[], Tensor], times: int) -> None: ...

    def capture(self, fn: Callable[[], Tensor]) -> tuple[Callable[[], None], Tensor]:
        """(replay, the tensor that holds fn's result after each replay)."""
        ...


class CudaBackend:
    """The real graph: a side-stream warm-up, then one torch.cuda.CUDAGraph."""

    def __init__(self) -> None:
        self._graph: torch.cuda.CUDAGraph | None = None  # kept alive with its memory pool

    def warm_up(self, fn: Callable[[], Tensor], times: int) -> None:
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(times):
                fn()
        torch.cuda.current_stream().wait_stream(stream)

    def capture(self, fn: Callable[[], Tensor]) -> tuple[Callable[[], None], Tensor]:
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            out = fn()
        self._graph = graph
        return graph.replay, out


class EagerBackend:
    """A stand-in graph that runs the step each time it is "replayed": the tests' way to drive capture
    and the check on the CPU (and a subclass can make it disagree)."""

    def warm_up(self, fn: Callable[[], Tensor], times: int) -> None:
        for _ in range(times):
            fn()

    def capture(self, fn: Callable[[], Tensor]) -> tuple[Callable[[], None], Tensor]:
        out = torch.zeros(())

        def replay() -> None:
            out.copy_(fn())

        return replay, out


class Runner:
    """Trains one batch per call, through the graph when there is one, else eagerly.

    `runner(X, Y, fresh)`: X and Y (batch, steps) on the device; `fresh` when the
    batch starts from a new state (each batch of a random run, the first of a
    sequential epoch). Returns the batch's mean loss, a 0-d tensor on the device.
    `status` is ON, OFF, PENDING or the reason the graph is not used.
    """

    def __init__(
        self,
        step: TrainStep,
        begin_state: BeginState,
        status: str,
        backend: Backend | None = None,
        model: nn.Module | None = None,
    ) -> None:
        self.step, self.begin_state, self.status = step, begin_state, status
        self._backend, self._model = backend, model  # both given when a graph is to be tried
        self.state: Tensor | None = None  # the carried state (the graph's static buffer once captured)
        self._state_rows = 0  # the batch size `state` was made for
        self._static: tuple[Tensor, Tensor] | None = None  # the graph's inputs and targets
        self._replay: Callable[[], None] | None = None
        self._loss: Tensor | None = None  # the graph's loss output

    @property
    def figures(self) -> Figures:
        return self.step.figures

    def begin_epoch(self, batches: int) -> None:
        """Clear the figures, making room for `batches` (a new buffer means a new capture)."""
        if batches > self.figures.capacity:
            self.step.figures = Figures(batches, self.figures.loss_sum.device)
            if self._replay is not None:
                self._drop()
                self.status = PENDING
        self.figures.clear()

    def __call__(self, X: Tensor, Y: Tensor, fresh: bool) -> Tensor:
        if self.status == PENDING:
            return self._capture(X, Y, fresh)
        if self._replay is not None and self._static is not None:
            static_X, static_Y = self._static
            if X.shape == static_X.shape and Y.shape == static_Y.shape:
                static_X.copy_(X, non_blocking=True)
                static_Y.copy_(Y, non_blocking=True)
                if fresh:
                    self.state.copy_(self.begin_state(X.shape[0]))
                self._replay()
                return self._loss
            # Another shape: eagerly, from a state of its own (the graph's stays where it is).
            assert self.state is not None
            own = fresh or self._state_rows != X.shape[0]
            return self.step(X, Y, self.begin_state(X.shape[0]) if own else self.state)
        return self.step(X, Y, self._carried(X, fresh))

    def _carried(self, X: Tensor, fresh: bool) -> Tensor:
        """The state this batch starts from: a new one when asked, or when the batch has other rows."""
        if fresh or self.state is None or self._state_rows != X.shape[0]:
            # A model's state need not have its rows first (nn.GRU's is (layers, rows, hidden)).
            self.state, self._state_rows = self.begin_state(X.shape[0]), X.shape[0]
        return self.state

    def _capture(self, X: Tensor, Y: Tensor, fresh: bool) -> Tensor:
        """Capture on this batch and check the graph against the eager step; train the batch either way."""
        assert self._backend is not None and self._model is not None
        static_X, static_Y, state = X.clone(), Y.clone(), self._carried(X, fresh)
        before = _Snapshot(self._model, self.step.optimizer, self.figures, state)
        try:
            reference = self._reference(static_X, static_Y, state.clone())

            def run() -> Tensor:
                return self.step(static_X, static_Y, state)

            self._backend.warm_up(run, WARM_UP)
            before.put_back()  # the warm-up trained; the batch starts again from where it was
            self.step.optimizer.zero_grad(set_to_none=True)  # backward then allocates them inside the graph
            self._replay, self._loss = self._backend.capture(run)
            self._static = (static_X, static_Y)
            self._replay()
            reason = reference.disagreement(self._loss, self._model, state)
        except Exception as exc:  # whatever went wrong, the eager step still trains
            reason = "capture failed: " + (f"{type(exc).__name__}: {exc}".splitlines() or [""])[0][:200]
        if reason is None:
            self.status = ON
            log.info("CUDA graph on: captured the training step, and it agrees with the eager step")
            return self._loss
        self._drop()
        before.put_back()
        self.status = reason
        log.warning("CUDA graph off, training eagerly: %s", reason)
        return self.step(X, Y, self.state)

    def _reference(self, X: Tensor, Y: Tensor, state: Tensor) -> _Reference:
        """The batch through the eager step on a copy of the model and optimizer."""
        model, optimizer = copy.deepcopy((self._model, self.step.optimizer))  # one copy: the optimizer's
        figures = Figures(1, X.device)  # parameters are the copied model's
        step = TrainStep(model, list(model.parameters()), optimizer, self.step.clip, figures)
        loss = step(X, Y, state)
        return _Reference(loss, [p.detach() for p in model.parameters()], state)

    def _drop(self) -> None:
        self._replay = self._loss = self._static = None
        self.step.optimizer.zero_grad(set_to_none=True)  # let go of the graph's gradient buffers


class _Reference:
    def __init__(self, loss: Tensor, weights: list[Tensor], state: Tensor) -> None:
        self.loss, self.weights, self.state = loss, weights, state

    def disagreement(self, loss: Tensor, model: nn.Module, state: Tensor) -> str | None:
        """None when the graph's results equal these within TOLERANCE; else what differs."""
        pairs = [("loss", loss, self.loss), ("state", state, self.state)]
        named = zip(model.named_parameters(), self.weights, strict=True)
        pairs += [(name, p.detach(), ref) for (name, p), ref in named]
        for name, got, want in pairs:
            scale = want.abs().max().item() if want.numel() else 0.0
            error = (got - want).abs().max().item() if want.numel() else 0.0
            if not error <= TOLERANCE * max(scale, 1e-12):  # NaN disagrees too
                return f"graph and eager step disagree ({name}: {error:.3g} apart, of {scale:.3g})"
        return None


class _Snapshot:
    """Weights, optimizer state, carried state and figures, to put back in place (same tensors: a graph
    captured afterwards reads them where they are)."""

    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer, figures: Figures, state: Tensor) -> None:
        self.model, self.optimizer, self.figures, self.state = model, optimizer, figures, state
        self.weights = [t.detach().clone() for t in model.state_dict().values()]
        self.optimizer_state = {
            p: {k: v.clone() if isinstance(v, Tensor) else v for k, v in values.items()}
            for p, values in optimizer.state.items()
        }
        self.state_values, self.figure_values = state.clone(), figures.snapshot()

    def put_back(self) -> None:
        with torch.no_grad():
            for tensor, saved in zip(self.model.state_dict().values(), self.weights, strict=True):
                tensor.copy_(saved)
            for p, values in self.optimizer.state.items():
                saved = self.optimizer_state.get(p)
                for key, value in values.items():
                    if not isinstance(value, Tensor):
                        continue
                    if saved is not None and key in saved:
                        value.copy_(saved[key])
                    else:  # made by the warm-up: a fresh optimizer state is zeros (Adam's moments and step)
                        value.zero_()
            self.state.copy_(self.state_values)
        self.figures.put_back(self.figure_values)


def runner_for(
    step: TrainStep,
    begin_state: BeginState,
    *,
    setting: str,
    device: torch.device,
    model: nn.Module,
    distributed: bool,
    backend: Backend | None = None,
) -> Runner:
    """The run's runner: graphed (PENDING until its first batch is checked) where it can be, else eager.

    `backend` replaces CUDA's graph (tests on the CPU); without it only a CUDA device captures.
    """
    if setting == OFF:
        status = OFF
    elif backend is None and device.type != "cuda":
        status = NO_CUDA
    elif not isinstance(model, FastScratchGRU):
        status = NOT_SCRATCH
    elif distributed:
        status = DISTRIBUTED
    else:
        return Runner(step, begin_state, PENDING, backend or CudaBackend(), model)
    log.info("CUDA graph not used: %s", status)
    return Runner(step, begin_state, status)
