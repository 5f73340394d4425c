"""How fast a training batch could be if it were nothing but its matrix products.

The fast scratch GRU issues a fixed set of matrix products per batch: two per
step forward, two per step backward, one per weight gradient, three for the
output layer. Timing exactly those (same shapes, same in-place forms, nothing
else) gives a floor under any implementation of the book's model that keeps
its arithmetic: the best tokens/s this machine's matrix library allows. The
bench divides it by the book's speed to say how far `scratch` could go here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

from gru_studio.engine.hardware.device import synchronize


def batch_products(batch: int, steps: int, hidden: int, vocab: int, device: torch.device) -> Callable[[], None]:
    """A function that runs one batch's worth of the fast path's matrix products.

    The operands are random and made here, once, so that calling the result
    times the products and nothing else.
    """

    def rand(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, device=device)

    rows = steps * batch
    U_zr, W_hh, W_hq, b_q = rand(hidden, 2 * hidden), rand(hidden, hidden), rand(hidden, vocab), rand(vocab)
    U_zr_T, W_hh_T = U_zr.t().contiguous(), W_hh.t().contiguous()
    gates, cand, H, dH = (
        rand(steps, batch, 2 * hidden),
        rand(steps, batch, hidden),
        rand(batch, hidden),
        rand(batch, hidden),
    )
    d_gates, d_cand, d_logits = rand(steps, batch, 2 * hidden), rand(steps, batch, hidden), rand(rows, vocab)
    # Views made here too, once: the fast path makes its per-step views in bulk (unbind).
    gates_t, cand_t, d_gates_t, d_cand_t = (x.unbind(0) for x in (gates, cand, d_gates, d_cand))
    Hs = cand.view(rows, hidden)
    Hs_T, W_hq_T = Hs.t(), W_hq.t()
    d_gates_flat, d_cand_flat = d_gates.view(rows, 2 * hidden), d_cand.view(rows, hidden)

    def run() -> None:
        for t in range(steps):  # forward: the gate and the candidate products
            gates_t[t].addmm_(H, U_zr)
            cand_t[t].addmm_(H, W_hh)
        torch.addmm(b_q, Hs, W_hq)  # output layer, then its two gradients
        torch.mm(d_logits, W_hq_T)
        torch.mm(Hs_T, d_logits)
        for t in range(steps - 1, -1, -1):  # backward through time
            torch.mm(d_cand_t[t], W_hh_T)
            dH.addmm_(d_gates_t[t], U_zr_T)
        torch.mm(Hs_T, d_gates_flat)  # the two weight gradients
        torch.mm(Hs_T, d_cand_flat)

    return run


def product_floor_tokens_per_s(
    batch: int, steps: int, hidden: int, vocab: int, device: torch.device, repeats: int = 20
) -> float:
    """Tokens/s of the products alone: the median of `repeats` timed batches, after one warm-up."""
    run = batch_products(batch, steps, hidden, vocab, device)
    run()
    times = []
    for _ in range(repeats):
        synchronize(device)
        start = time.perf_counter()
        run()
        synchronize(device)
        times.append(time.perf_counter() - start)
    times.sort()
    return batch * steps / times[len(times) // 2]
