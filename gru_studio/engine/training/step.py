"""One training step that a CUDA graph can capture: no host sync, no new allocations left to chance.

`TrainStep` does what the trainer does for a batch (forward, loss, backward,
clipping, the optimizer update) and adds the batch's figures (its loss times
its tokens, its gradient norm before clipping) into tensors on the device, so
that nothing in it asks the GPU for a number. It runs eagerly on every device;
engine/training/cuda_graph.py captures it on CUDA and replays it per batch.

Eagerly it is the trainer's batch as it always was, operation for operation:
on the CPU its weights, losses and gradient norms equal those of the loop it
replaced bit for bit (tests/engine/training/test_step.py).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def gradient_norm(params: list[nn.Parameter]) -> torch.Tensor:
    """The joint L2 norm of all gradients, as a 0-d tensor on their device (no sync)."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros((), device=params[0].device if params else None)
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))


def clip_gradients(params: list[nn.Parameter], theta: float) -> torch.Tensor:
    """Scale all gradients so that their joint norm is at most theta (the book's rule).

    Returns the norm before clipping. The scale is applied as a tensor, without
    asking whether the norm is over theta, so that on a GPU this is not a
    CPU-GPU sync point (and a CUDA graph can capture it).
    """
    norm = gradient_norm(params)
    scale = (theta / norm).clamp(max=1.0)
    for p in params:
        if p.grad is not None:
            p.grad.mul_(scale)
    return norm


class Figures:
    """An epoch's figures on the device: the loss summed over its tokens and each batch's gradient norm.

    The step writes batch i's norm into `norms[i]` through `counter` (a device
    index), so the buffers keep their addresses for a captured graph; they are
    read once per epoch (`read`), the epoch's one sync point.
    """

    def __init__(self, capacity: int, device: torch.device) -> None:
        self.capacity = max(capacity, 1)
        self.loss_sum = torch.zeros((), device=device)
        self.norms = torch.zeros(self.capacity, device=device)
        self.counter = torch.zeros(1, dtype=torch.long, device=device)

    def clear(self) -> None:
        self.loss_sum.zero_()
        self.norms.zero_()
        self.counter.zero_()

    def add(self, loss: Tensor, tokens: int, norm: Tensor) -> None:
        self.loss_sum += loss.detach() * tokens
        self.norms.index_copy_(0, self.counter, norm.detach().view(1))
        self.counter += 1

    def snapshot(self) -> tuple[Tensor, Tensor, Tensor]:
        return self.loss_sum.clone(), self.norms.clone(), self.counter.clone()

    def put_back(self, saved: tuple[Tensor, Tensor, Tensor]) -> None:
        for mine, theirs in zip((self.loss_sum, self.norms, self.counter), saved, strict=True):
            mine.copy_(theirs)


class TrainStep:
    """One batch of training, in place: `step(X, Y, state)` updates the weights, the optimizer,
    `state` (to the state after the batch) and `figures`, and returns the batch's mean loss (a 0-d tensor).

    `net` is what the batch goes through (the model, or it under DDP); `params`
    are the model's parameters, whose gradients are clipped to `clip` (0 = off).
    """

    def __init__(
        self,
        net: nn.Module,
        params: list[nn.Parameter],
        optimizer: torch.optim.Optimizer,
        clip: float,
        figures: Figures,
    ) -> None:
        self.net, self.params, self.optimizer, self.clip, self.figures = net, params, optimizer, clip, figures

    def __call__(self, X: Tensor, Y: Tensor, state: Tensor) -> Tensor:
        logits, new_state = self.net(X, state)
        y = Y.T.reshape(-1)
        loss = F.cross_entropy(logits, y)
        # None, not zeros: backward then writes fresh gradients (and a graph captures their buffers).
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = clip_gradients(self.params, self.clip) if self.clip > 0 else gradient_norm(self.params)
        self.optimizer.step()
        self.figures.add(loss, y.numel(), norm)
        state.copy_(new_state.detach())  # the carried state, back into its buffer (after backward: nothing reads it)
        return loss.detach()


def set_capturable(optimizer: torch.optim.Optimizer, capturable: bool) -> None:
    """Make Adam capturable (its step counts on the weights' device) or not (on the CPU), in place.

    A graph can capture Adam only with `capturable=True`, and a capturable Adam
    only runs on a device that supports it (CUDA, not the CPU); a checkpoint
    carries the flag from wherever it was saved, so every run sets it for its
    own device. SGD has no such flag and is left alone.
    """
    if not isinstance(optimizer, torch.optim.Adam):
        return
    for group in optimizer.param_groups:
        if group.get("capturable", False) == capturable:
            continue
        group["capturable"] = capturable
        for p in group["params"]:
            state = optimizer.state.get(p)
            if state and isinstance(state.get("step"), Tensor):
                step = state["step"]
                state["step"] = step.to(p.device) if capturable else step.detach().to("cpu")
