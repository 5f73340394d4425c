"""The book's GRU, computed fast: same parameters, same equations, fewer and larger operations.

What makes it fast on this workload (measured on 2 CPU cores, see docs/benchmarks.md):

- Input weights are looked up, not multiplied: a one-hot row times W_x is row
  `x` of W_x, so all time steps' input terms come from one gather.
- The update and reset gates share one matrix product per step
  (H @ [W_hz | W_hr]), with the input term folded in (addmm).
- The output layer runs once over all steps, not once per step.
- The backward pass is derived by hand (GRUFunction.backward): per step it
  does only what the recurrence needs, and each weight gradient is a single
  matrix product over all steps, large enough to use both cores well.
  Autograd's own graph for the step loop costs more in bookkeeping than in
  arithmetic at this size.

The equations are the book's, reset gate before the product with W_hh:
    Z = sigmoid(X W_xz + H W_hz + b_z)
    R = sigmoid(X W_xr + H W_hr + b_r)
    H̃ = tanh(X W_xh + (R ⊙ H) W_hh + b_h)
    H' = Z ⊙ H + (1 - Z) ⊙ H̃  =  H̃ + Z ⊙ (H - H̃)
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from gru_studio.engine.models.scratch import ScratchGRU

# aten's fused gradient kernels: one operation each instead of three.
_sigmoid_backward = torch.ops.aten.sigmoid_backward
_tanh_backward = torch.ops.aten.tanh_backward


def recurrence(
    x_gates: Tensor, x_cand: Tensor, H0: Tensor, U_zr: Tensor, W_hh: Tensor, saved: dict[str, Tensor] | None = None
) -> Tensor:
    """Run the GRU over T steps; returns (T + 1, B, H): H0, then each step's hidden state.

    x_gates (T, B, 2H) and x_cand (T, B, H) are the input terms with their
    biases. When `saved` is given, what the backward pass needs is written
    straight into preallocated buffers (no copies, no stacking at the end).
    """
    steps, batch, hidden = x_cand.shape
    states = x_cand.new_empty(steps + 1, batch, hidden)
    states[0] = H0
    if saved is None:
        gates = x_cand.new_empty(batch, 2 * hidden)
        cand, reset_h, diff = (x_cand.new_empty(batch, hidden) for _ in range(3))
        gates_t, cand_t, reset_t, diff_t = ([buffer] * steps for buffer in (gates, cand, reset_h, diff))
    else:
        buffers = (
            x_cand.new_empty(steps, batch, 2 * hidden),
            *(x_cand.new_empty(steps, batch, hidden) for _ in range(3)),
        )
        saved.update(zip(("gates", "cand", "reset_h", "diff"), buffers, strict=True))
        # unbind makes all the per-step views in one call, cheaper than indexing each step.
        gates_t, cand_t, reset_t, diff_t = (buffer.unbind(0) for buffer in buffers)
    H_t = states.unbind(0)
    for t in range(steps):
        H = H_t[t]
        ZR = torch.sigmoid(torch.addmm(x_gates[t], H, U_zr), out=gates_t[t])
        Z, R = ZR[:, :hidden], ZR[:, hidden:]
        RH = torch.mul(R, H, out=reset_t[t])
        H_tilde = torch.tanh(torch.addmm(x_cand[t], RH, W_hh), out=cand_t[t])
        torch.addcmul(H_tilde, Z, torch.sub(H, H_tilde, out=diff_t[t]), out=H_t[t + 1])
    return states


def lookup(table: Tensor, inputs: Tensor) -> Tensor:
    """Rows of `table` for (T, B) indices -> (T, B, columns); one-hot times table, without the zeros."""
    return table.index_select(0, inputs.reshape(-1)).view(*inputs.shape, table.shape[1])


class GRUFunction(torch.autograd.Function):
    """The recurrence with a hand-written backward pass through time."""

    @staticmethod
    def forward(ctx, inputs: Tensor, H0: Tensor, W_x: Tensor, b_x: Tensor, U_zr: Tensor, W_hh: Tensor) -> Tensor:
        hidden = W_hh.shape[0]
        x_all = lookup(W_x + b_x, inputs)  # the one-hot product as a lookup, bias included
        saved: dict[str, Tensor] = {}
        states = recurrence(x_all[..., : 2 * hidden], x_all[..., 2 * hidden :], H0, U_zr, W_hh, saved)
        ctx.save_for_backward(
            inputs, states, saved["gates"], saved["cand"], saved["reset_h"], saved["diff"], W_x, U_zr, W_hh
        )
        return states[1:]

    @staticmethod
    def backward(ctx, dHs: Tensor) -> tuple[Tensor | None, ...]:
        inputs, states, gates, cand, reset_h, diff, W_x, U_zr, W_hh = ctx.saved_tensors
        steps, batch, hidden = cand.shape
        U_zr_T, W_hh_T = U_zr.t().contiguous(), W_hh.t().contiguous()
        # Gradients of the pre-activations of every step, in two contiguous buffers:
        # the fused kernels below write into them directly, and run at a third of
        # the speed when their output is a strided slice of one shared buffer.
        d_gates_all = dHs.new_empty(steps, batch, 2 * hidden)  # update, reset
        d_cand_all = dHs.new_empty(steps, batch, hidden)
        d_zr = dHs.new_empty(batch, 2 * hidden)
        dZ, dR = d_zr[:, :hidden], d_zr[:, hidden:]
        d_gates_t, d_cand_t = d_gates_all.unbind(0), d_cand_all.unbind(0)
        gates_t, cand_t, diff_t, H_t, dHs_t = (x.unbind(0) for x in (gates, cand, diff, states, dHs))
        dH = dHs_t[-1]
        no_grad_from_outputs = torch.zeros_like(dH)
        for t in range(steps - 1, -1, -1):
            ZR = gates_t[t]
            Z, R = ZR[:, :hidden], ZR[:, hidden:]
            torch.mul(dH, diff_t[t], out=dZ)
            # dH (1 - Z) goes to the candidate; dH Z straight to the previous state,
            # together with what that state gave the outputs.
            d_cand = _tanh_backward.grad_input(torch.addcmul(dH, dH, Z, value=-1), cand_t[t], grad_input=d_cand_t[t])
            dH_prev = torch.addcmul(dHs_t[t - 1] if t > 0 else no_grad_from_outputs, dH, Z)
            dRH = d_cand @ W_hh_T
            torch.mul(dRH, H_t[t], out=dR)
            d_gates = _sigmoid_backward.grad_input(d_zr, ZR, grad_input=d_gates_t[t])
            dH = torch.addmm(dH_prev.addcmul_(dRH, R), d_gates, U_zr_T)
        # Weight gradients: one matrix product each, over all steps at once.
        rows = steps * batch
        d_gates_flat, d_cand_flat = d_gates_all.view(rows, 2 * hidden), d_cand_all.view(rows, hidden)
        dU_zr = states[:-1].reshape(rows, hidden).t() @ d_gates_flat
        dW_hh = reset_h.view(rows, hidden).t() @ d_cand_flat
        # The input weights were looked up by index, so their gradient is added back by index.
        flat_inputs = inputs.reshape(-1)
        dW_x = W_x.new_zeros(W_x.shape)
        dW_x[:, : 2 * hidden].index_add_(0, flat_inputs, d_gates_flat)
        dW_x[:, 2 * hidden :].index_add_(0, flat_inputs, d_cand_flat)
        return None, dH, dW_x, dW_x.sum(0), dU_zr, dW_hh


class FastScratchGRU(ScratchGRU):
    """The book's scratch GRU with the same parameters and results, trained several times faster."""

    def fused(self) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """The book's weights side by side, so that one product serves several gates."""
        W_x = torch.cat([self.W_xz, self.W_xr, self.W_xh], dim=1)
        b_x = torch.cat([self.b_z, self.b_r, self.b_h])
        U_zr = torch.cat([self.W_hz, self.W_hr], dim=1)
        return W_x, b_x, U_zr, self.W_hh

    def forward(self, inputs: Tensor, state: Tensor) -> tuple[Tensor, Tensor]:
        """inputs (batch, steps) of indices -> logits (steps * batch, vocab), time-major like the book's."""
        W_x, b_x, U_zr, W_hh = self.fused()
        steps_first = inputs.t()
        if torch.is_grad_enabled():
            Hs = GRUFunction.apply(steps_first, state, W_x, b_x, U_zr, W_hh)
        else:  # generation and validation: no graph, no saved tensors
            x_all = lookup(W_x + b_x, steps_first)
            Hs = recurrence(x_all[..., : 2 * self.hidden], x_all[..., 2 * self.hidden :], state, U_zr, W_hh)[1:]
        logits = torch.addmm(self.b_q, Hs.view(-1, self.hidden), self.W_hq)
        return logits, Hs[-1]

    def stepper(self) -> Callable[[int, Tensor], tuple[Tensor, Tensor]]:
        """One-character steps for generation: weights fused once, a handful of operations per step.

        Call under torch.inference_mode(); `step(index, H)` returns (logits (vocab,), new H (1, hidden)).
        """
        with torch.inference_mode():
            W_x, b_x, U_zr, W_hh = (w.detach() for w in self.fused())
            table = (W_x + b_x)[:, None, :]  # row i is the input term of character i, shaped (1, 3H)
            W_hq, b_q, hidden = self.W_hq.detach(), self.b_q.detach(), self.hidden

        def step(index: int, H: Tensor) -> tuple[Tensor, Tensor]:
            x = table[index]
            ZR = torch.sigmoid(torch.addmm(x[:, : 2 * hidden], H, U_zr))
            Z = ZR[:, :hidden]
            H_tilde = torch.tanh(torch.addmm(x[:, 2 * hidden :], ZR[:, hidden:] * H, W_hh))
            H = torch.lerp(H_tilde, H, Z)  # H~ + Z (H - H~)
            return torch.addmm(b_q, H, W_hq)[0], H

        return step
