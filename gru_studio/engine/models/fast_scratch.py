"""The book's GRU, computed fast: same parameters, same equations, fewer and larger operations.

What makes it fast on this workload (measured on 2 CPU cores, see docs/benchmarks.md):

- Input weights are looked up, not multiplied: a one-hot row times W_x is row
  `x` of W_x, so all time steps' input terms come from one gather, straight
  into the buffers where each step then adds its products in place.
- The update and reset gates share one matrix product per step
  (H @ [W_hz | W_hr]).
- The output layer runs once over all steps, not once per step.
- The backward pass is derived by hand (GRUFunction.backward): per step it
  does only what the recurrence needs, and each weight gradient is a single
  matrix product over all steps, large enough to use both cores well.
  Autograd's own graph for the step loop costs more in bookkeeping than in
  arithmetic at this size.

- tanh is computed from a sigmoid (`tanh_from_doubled_`), which is cheaper here.

The equations are the book's, reset gate before the product with W_hh, and
each line of `recurrence` carries the one it computes:
    Z = sigmoid(X W_xz + H W_hz + b_z)
    R = sigmoid(X W_xr + H W_hr + b_r)
    H̃ = tanh(X W_xh + (R ⊙ H) W_hh + b_h)
    H' = Z ⊙ H + (1 - Z) ⊙ H̃  =  H̃ + Z ⊙ (H - H̃)
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from gru_studio.engine.models.scratch import BookParameters

# aten's fused gradient kernels: one operation each instead of three.
_sigmoid_backward = torch.ops.aten.sigmoid_backward
_tanh_backward = torch.ops.aten.tanh_backward


def tanh_from_doubled_(doubled: Tensor, minus_one: Tensor) -> Tensor:
    """tanh(a), given 2a in `doubled` and written over it: tanh(a) = 2 sigmoid(2a) - 1.

    The same function as tanh, and on this CPU a sigmoid plus an add take about
    6 µs per step where tanh takes 15. The doubling costs nothing per step:
    whoever builds 2a doubles its parts once (the candidate's input terms in
    `input_terms`, W_hh in `recurrence`). `minus_one` is a tensor of -1s shaped
    like `doubled`, made once by the caller rather than once per step.
    """
    return torch.add(minus_one, doubled.sigmoid_(), alpha=2, out=doubled)


def input_terms(W_x: Tensor, b_x: Tensor, inputs: Tensor) -> tuple[Tensor, Tensor]:
    """The input terms X W_x + b of every step: gates (T, B, 2H) and candidate (T, B, H).

    A one-hot row times W_x is a row of W_x, so this is a lookup, not a product.
    The two results are the buffers the recurrence then works in (see `recurrence`),
    and the candidate's terms come doubled, for `tanh_from_doubled_`.
    """
    table, flat, gate_width = W_x + b_x, inputs.reshape(-1), 2 * W_x.shape[1] // 3
    gates = table[:, :gate_width].index_select(0, flat).view(*inputs.shape, gate_width)
    cand = (table[:, gate_width:] * 2).index_select(0, flat).view(*inputs.shape, -1)  # 2 (X W_xh + b_h)
    return gates, cand


def recurrence(
    gates: Tensor, cand: Tensor, H0: Tensor, U_zr: Tensor, W_hh: Tensor, reset_h: Tensor, mode: str = "full"
) -> Tensor:
    """Run the GRU over T steps; returns (T + 1, B, H): H0, then each step's hidden state.

    `gates` (T, B, 2H) and `cand` (T, B, H) hold the input terms from
    `input_terms` on entry and the activations Z | R and H~ on exit: each
    step's products are added onto its input terms in place (addmm_), which
    saves copying those terms into a fresh result twice per step. `reset_h`
    receives R ⊙ H, per step when it is (T, B, H), or as scratch space when it
    is one (B, H) buffer.

    `mode` is the model's `gates`: in "reset-only" Z is overwritten with 0
    and in "update-only" R with 1 after each step's sigmoid. The backward pass
    then needs no case of its own: the sigmoid's derivative Z (1 - Z) is 0 at
    both constants, so the fixed gate's parameters get a zero gradient, and
    every other term reads the constant from the saved gates as it would a
    computed one. (The fixed gate's product is still computed: one fused
    product for both gates costs about what one alone would.)
    """
    fix_update, fix_reset = mode == "reset-only", mode == "update-only"
    steps, batch, hidden = cand.shape
    states = cand.new_empty(steps + 1, batch, hidden)
    states[0] = H0
    # unbind makes all the per-step views in one call, cheaper than indexing each step.
    gates_t, cand_t, H_t = gates.unbind(0), cand.unbind(0), states.unbind(0)
    Z_t, R_t = gates[..., :hidden].unbind(0), gates[..., hidden:].unbind(0)
    reset_t = reset_h.unbind(0) if reset_h.dim() == 3 else [reset_h] * steps
    W_hh_doubled, minus_one = W_hh * 2, cand.new_full((batch, hidden), -1.0)  # see tanh_from_doubled_
    for t in range(steps):
        H = H_t[t]
        gates_t[t].addmm_(H, U_zr).sigmoid_()  # Z | R = sigmoid(X W_xz + H W_hz + b_z | X W_xr + H W_hr + b_r)
        if fix_update:
            Z_t[t].zero_()  # reset-only: Z = 0, so H' = H̃
        elif fix_reset:
            R_t[t].fill_(1.0)  # update-only: R = 1, so H̃ = tanh(X W_xh + H W_hh + b_h)
        RH = torch.mul(R_t[t], H, out=reset_t[t])  # R ⊙ H
        tanh_from_doubled_(cand_t[t].addmm_(RH, W_hh_doubled), minus_one)  # H̃ = tanh(X W_xh + (R ⊙ H) W_hh + b_h)
        torch.lerp(cand_t[t], H, Z_t[t], out=H_t[t + 1])  # H' = Z ⊙ H + (1 - Z) ⊙ H̃ = H̃ + Z ⊙ (H - H̃)
    return states


class GRUFunction(torch.autograd.Function):
    """The recurrence with a hand-written backward pass through time."""

    @staticmethod
    def forward(
        ctx, inputs: Tensor, H0: Tensor, W_x: Tensor, b_x: Tensor, U_zr: Tensor, W_hh: Tensor, mode: str = "full"
    ) -> Tensor:
        gates, cand = input_terms(W_x, b_x, inputs)
        reset_h = torch.empty_like(cand)
        states = recurrence(gates, cand, H0, U_zr, W_hh, reset_h, mode)
        ctx.save_for_backward(inputs, states, gates, cand, reset_h, W_x, U_zr, W_hh)
        return states[1:]

    @staticmethod
    def backward(ctx, dHs: Tensor) -> tuple[Tensor | None, ...]:
        inputs, states, gates, cand, reset_h, W_x, U_zr, W_hh = ctx.saved_tensors
        steps, batch, hidden = cand.shape
        U_zr_T, W_hh_T = U_zr.t().contiguous(), W_hh.t().contiguous()
        # Gradients of the pre-activations of every step, in two contiguous buffers:
        # the fused kernels below write into them directly, and run at a third of
        # the speed when their output is a strided slice of one shared buffer.
        d_gates_all = dHs.new_empty(steps, batch, 2 * hidden)  # update, reset
        d_cand_all = dHs.new_empty(steps, batch, hidden)
        d_zr, diff = dHs.new_empty(batch, 2 * hidden), dHs.new_empty(batch, hidden)
        dZ, dR = d_zr[:, :hidden], d_zr[:, hidden:]
        d_gates_t, d_cand_t = d_gates_all.unbind(0), d_cand_all.unbind(0)
        gates_t, cand_t, H_t, dHs_t = (x.unbind(0) for x in (gates, cand, states, dHs))
        Z_t, R_t = gates[..., :hidden].unbind(0), gates[..., hidden:].unbind(0)
        # Step t maps H (its input state) to H'; dH is the gradient of H', da_* those
        # of the pre-activations inside sigmoid and tanh, and dY the outputs' share of H.
        dH = dHs_t[-1]
        no_grad_from_outputs = torch.zeros_like(dH)
        for t in range(steps - 1, -1, -1):
            Z, R = Z_t[t], R_t[t]
            torch.mul(dH, torch.sub(H_t[t], cand_t[t], out=diff), out=dZ)  # dZ = dH ⊙ (H - H̃)
            # da_h = dH̃ ⊙ (1 - H̃²), where dH̃ = dH ⊙ (1 - Z)
            d_cand = _tanh_backward.grad_input(torch.addcmul(dH, dH, Z, value=-1), cand_t[t], grad_input=d_cand_t[t])
            dH_prev = torch.addcmul(dHs_t[t - 1] if t > 0 else no_grad_from_outputs, dH, Z)  # dH_prev = dY + dH ⊙ Z
            dRH = d_cand @ W_hh_T  # d(R ⊙ H) = da_h W_hh^T
            torch.mul(dRH, H_t[t], out=dR)  # dR = d(R ⊙ H) ⊙ H
            # da_z | da_r = dZ ⊙ Z (1 - Z) | dR ⊙ R (1 - R)
            d_gates = _sigmoid_backward.grad_input(d_zr, gates_t[t], grad_input=d_gates_t[t])
            # dH_prev += d(R ⊙ H) ⊙ R + da_z W_hz^T + da_r W_hr^T
            dH = dH_prev.addcmul_(dRH, R).addmm_(d_gates, U_zr_T)
        # Weight gradients: one matrix product each, over all steps at once.
        rows = steps * batch
        d_gates_flat, d_cand_flat = d_gates_all.view(rows, 2 * hidden), d_cand_all.view(rows, hidden)
        dU_zr = states[:-1].reshape(rows, hidden).t() @ d_gates_flat  # [dW_hz | dW_hr] = Σ_t H^T [da_z | da_r]
        dW_hh = reset_h.view(rows, hidden).t() @ d_cand_flat  # dW_hh = Σ_t (R ⊙ H)^T da_h
        # The input weights were looked up by index, so their gradient is added back
        # by index, into contiguous buffers: index_add_ into a column slice of one
        # shared buffer took 0.6-0.8 ms instead of 0.07 ms.
        flat_inputs, vocab = inputs.reshape(-1), W_x.shape[0]
        dW_x = torch.cat(
            [
                d_gates_flat.new_zeros(vocab, 2 * hidden).index_add_(0, flat_inputs, d_gates_flat),
                d_cand_flat.new_zeros(vocab, hidden).index_add_(0, flat_inputs, d_cand_flat),
            ],
            dim=1,
        )
        return None, dH, dW_x, dW_x.sum(0), dU_zr, dW_hh, None


class FastScratchGRU(BookParameters):
    """The book's scratch GRU with the same parameters and results, trained several times faster.

    Only the book's model: the reset gate before the product with W_hh (no
    `reset_after`), with its gates full or one of them fixed (`gates`, see BookParameters).
    """

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
            Hs = GRUFunction.apply(steps_first, state, W_x, b_x, U_zr, W_hh, self.gates)
        else:  # validation: no graph, nothing kept for a backward pass
            gates, cand = input_terms(W_x, b_x, steps_first)
            Hs = recurrence(gates, cand, state, U_zr, W_hh, state.new_empty(state.shape), self.gates)[1:]
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
        fix_update, fix_reset = self.gates == "reset-only", self.gates == "update-only"

        def step(index: int, H: Tensor) -> tuple[Tensor, Tensor]:
            x = table[index]
            ZR = torch.sigmoid(torch.addmm(x[:, : 2 * hidden], H, U_zr))  # Z | R, as in `recurrence`
            Z, R = ZR[:, :hidden], ZR[:, hidden:]
            # H̃ = tanh(X W_xh + (R ⊙ H) W_hh + b_h); one step is too small for tanh's cost to matter
            H_tilde = torch.tanh(torch.addmm(x[:, 2 * hidden :], H if fix_reset else R * H, W_hh))
            H = H_tilde if fix_update else torch.lerp(H_tilde, H, Z)  # H' = H̃ + Z ⊙ (H - H̃)
            return torch.addmm(b_q, H, W_hq)[0], H  # Y = H W_hq + b_q

        return step
