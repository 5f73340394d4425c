"""Training one model on several processes with PyTorch's DistributedDataParallel.

`torchrun --nproc-per-node N -m gru_studio train ...` starts N copies of the
command with RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous in their
environment; `start()` joins them into one process group (gloo on the CPU,
nccl on CUDA, one GPU per process). Without that environment, nothing here
is used and training is single-process.

What makes N processes compute what one does: every rank draws the same
batches (the numpy generator has the same seed everywhere) and keeps only its
own rows of each, B/N of the B; DDP averages the gradients, which, with equal
rows per rank, is the gradient of the whole batch's mean loss; so the
gradients are the same on every rank after backward and clipping by their
norm clips by the global norm. Loss sums are added up across ranks once per
epoch. Each rank carries the hidden state of its own rows.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn

from gru_studio.engine.errors import ConfigError, DeviceError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase

# How long a rank waits for the others in a collective before it gives up. A
# dead rank is normally noticed by torchrun at once (it stops the others); this
# bounds the wait when it is not (a hung machine in a multi-node job).
COLLECTIVE_TIMEOUT = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Group:
    """This process's place in a distributed run."""

    rank: int
    world_size: int
    local_rank: int
    backend: str

    @property
    def is_main(self) -> bool:
        """Rank 0 alone prints, records the run and writes files."""
        return self.rank == 0

    def rows(self, batch_size: int) -> slice:
        """This rank's rows of a global batch of `batch_size` rows."""
        share = batch_size // self.world_size
        return slice(self.rank * share, (self.rank + 1) * share)

    def sum(self, tensor: torch.Tensor) -> torch.Tensor:
        """The element-wise sum of `tensor` over all ranks (in place, and returned)."""
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor

    def wrap(self, model: nn.Module, device: torch.device) -> nn.Module:
        """The model under DDP, which averages its gradients across ranks during backward."""
        if device.type == "cuda":
            return nn.parallel.DistributedDataParallel(model, device_ids=[device.index])
        return nn.parallel.DistributedDataParallel(model)

    def gather_rng(self) -> list[torch.Tensor]:
        """Every rank's torch CPU generator state, in rank order (a collective: all ranks call it)."""
        states: list[torch.Tensor | None] = [None] * self.world_size
        dist.all_gather_object(states, torch.get_rng_state())
        return [s for s in states if s is not None]


_active: Group | None = None


def active() -> Group | None:
    """The group this process trains in, once `start()` joined one; else None."""
    return _active


def world_size() -> int:
    """How many processes train this run (1 without torchrun)."""
    return _active.world_size if _active is not None else 1


def launched() -> bool:
    """Whether torchrun (or another launcher) set this process up as one of several."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def start(device: str) -> Group | None:
    """Join the process group torchrun describes; None when run on its own.

    `device` is the --device flag: "cpu" trains with gloo, a CUDA device with
    nccl on the GPU numbered LOCAL_RANK (the device's own index is ignored:
    each process has one GPU).
    """
    global _active
    if _active is not None or not launched():
        return _active
    cuda = device.startswith("cuda") or (device == "auto" and torch.cuda.is_available())
    if cuda and not torch.cuda.is_available():
        raise DeviceError(
            QT_TRANSLATE_NOOP(
                "engine", "Distributed training on CUDA needs a GPU; this machine has none. Use --device cpu."
            )
        )
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if cuda:
        if local_rank >= torch.cuda.device_count():
            raise DeviceError(
                QT_TRANSLATE_NOOP(
                    "engine",
                    "Process {rank} on this machine needs GPU {rank}, but only "
                    "{count} are visible: start at most that many processes per machine.",
                ),
                rank=local_rank,
                count=torch.cuda.device_count(),
            )
        torch.cuda.set_device(local_rank)
    backend = "nccl" if cuda else "gloo"
    dist.init_process_group(backend, timeout=COLLECTIVE_TIMEOUT)
    _active = Group(dist.get_rank(), dist.get_world_size(), local_rank, backend)
    return _active


def device_for(group: Group | None, device: str) -> str:
    """The device this rank trains on: its own GPU under nccl, else what was asked."""
    if group is not None and group.backend == "nccl":
        return f"cuda:{group.local_rank}"
    return device


def check_batch(group: Group | None, batch_size: int) -> None:
    """A global batch must split into equal rows per rank, or the ranks would not compute one batch's mean."""
    if group is not None and batch_size % group.world_size:
        raise ConfigError(
            "batch_size",
            phrase(
                QT_TRANSLATE_NOOP(
                    "engine",
                    "{batch_size} does not split into {processes} processes' equal shares; "
                    "use a multiple of {processes}",
                ),
                batch_size=batch_size,
                processes=group.world_size,
            ),
        )


# The key of the text's digest in a fingerprint (check_agreement): its difference is said in words of its own.
TEXT = "text"


def check_agreement(group: Group | None, fingerprint: dict[str, object]) -> None:
    """Refuse, on every rank, a run whose ranks were started with different settings or text.

    `fingerprint` maps each setting's name as the user typed it (--hidden) to
    its value, and TEXT to a digest of the text read. One all_gather_object
    before the first batch: otherwise a different --hidden ends in DDP's raw
    "params[0] ... appears not to match" error, and a different --seed or text
    trains silently, every rank on its own data. Every rank gathers the same
    fingerprints, so every rank refuses with the same line, naming the lowest
    rank that differs from rank 0 and the first setting in which it does.
    """
    if group is None:
        return
    gathered: list[dict[str, object] | None] = [None] * group.world_size
    dist.all_gather_object(gathered, fingerprint)
    first = gathered[0] or {}
    for rank, other in enumerate(gathered[1:], 1):
        other = other or {}
        for name in [*first, *(key for key in other if key not in first)]:
            if first.get(name) == other.get(name):
                continue
            if name == TEXT:
                raise ConfigError(
                    "torchrun",
                    phrase(QT_TRANSLATE_NOOP("engine", "rank {rank} reads a different text than rank 0"), rank=rank),
                )
            raise ConfigError(
                "torchrun",
                phrase(
                    QT_TRANSLATE_NOOP("engine", "rank {rank}'s {setting} ({value}) differs from rank 0's ({first})"),
                    rank=rank,
                    setting=name,
                    value=other.get(name),
                    first=first.get(name),
                ),
            )


def stop(*, together: bool) -> None:
    """Leave the process group, so the processes exit cleanly.

    `together` (after a run that ended well on this rank): wait for every rank
    first, since tearing gloo down while a peer still works through its last
    messages can abort that peer (seen once, as SIGABRT of rank 1 at the end of
    a resumed run on a busy machine). Never after a failure: the others may be
    inside a collective this rank will not join, and this rank must exit now,
    so that torchrun ends the job.
    """
    global _active
    if _active is not None and dist.is_initialized():
        if together:
            with contextlib.suppress(RuntimeError):  # a broken group (a peer died): leave all the same
                dist.barrier()
        dist.destroy_process_group()
    _active = None
