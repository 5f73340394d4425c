"""Text generation: warm the state up on a prefix, then pick one character at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator

import torch
from torch import nn

from gru_studio.engine.errors import GenerationError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP
from gru_studio.engine.text.vocab import Vocab

# In letters mode the prefix gets the training text's treatment: ASCII
# punctuation, digits and white space become one space, letters are lowercased.
# Non-ASCII characters are left alone so that they are reported, not mapped.
_NOT_LETTERS = re.compile(r"[\x00-\x40\x5b-\x60\x7b-\x7f]+")


def prepare_prefix(prefix: str, vocab: Vocab, mode: str) -> str:
    """The prefix as the model sees it, or a GenerationError naming what it cannot read."""
    if mode == "letters":
        prefix = _NOT_LETTERS.sub(" ", prefix).lower()
    if not prefix.strip():
        raise GenerationError(QT_TRANSLATE_NOOP("engine", "The prefix is empty: type at least one character."))
    unknown = vocab.unknown_chars(prefix)
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:10])
        raise GenerationError(
            QT_TRANSLATE_NOOP(
                "engine", "The prefix has {count} character(s) the model never saw in training: {shown}."
            ),
            count=len(unknown),
            shown=shown,
        )
    return prefix


def _choose(logits: torch.Tensor, temperature: float, top_k: int, generator: torch.Generator | None) -> int:
    """Greedy when temperature is 0; otherwise sample, optionally from the top k."""
    logits = logits.float().clone()
    logits[0] = float("-inf")  # never emit <unk>
    if temperature <= 0:
        return int(logits.argmax())
    logits = logits / temperature
    if 0 < top_k < logits.numel():
        cutoff = torch.topk(logits, top_k).values[-1]
        logits[logits < cutoff] = float("-inf")
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs.cpu(), 1, generator=generator))


def generate(
    model: nn.Module,
    vocab: Vocab,
    prefix: str,
    length: int,
    *,
    mode: str = "letters",
    temperature: float = 0.0,
    top_k: int = 0,
    seed: int | None = None,
) -> Iterator[str]:
    """Yield `length` characters that continue `prefix`, one at a time.

    The prefix is checked before anything is yielded. No autograd state is
    kept between yields, so the caller's code never runs in inference mode.

    Torch generates on one CPU thread (issue 26): a step works on one row of a
    few hundred numbers, too little to share, and a second thread only waits.
    Measured on the shared 2-core machine (1-minute load 4.7, 200-character runs
    interleaved 40 times, 256 hidden units), 2 threads gave the median
    1,968 chars/s against 7,464 for 1 (scratch) and 451 against 4,147
    (builtin), 8,198 and 3,644 at their best against 17,953 and 8,254; they won
    2 rounds of 80. The calling thread's count is put back once the last
    character is out (an iterator left unfinished leaves it at 1).
    """
    if length < 0:
        raise GenerationError(QT_TRANSLATE_NOOP("engine", "The length must be zero or more."))
    if temperature < 0:
        raise GenerationError(QT_TRANSLATE_NOOP("engine", "The temperature must be zero (greedy) or more."))
    if top_k < 0:
        raise GenerationError(QT_TRANSLATE_NOOP("engine", "top-k must be zero (off) or more."))
    prefix = prepare_prefix(prefix, vocab, mode)
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    was_training = model.training
    model.eval()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.inference_mode():
            inputs = torch.as_tensor(vocab.encode(prefix), dtype=torch.long, device=device)[None]
            logits, state = model(inputs, model.begin_state(1, device))
            logits = logits[-1]
            # A model may offer a leaner one-character step (the fast scratch GRU does).
            stepper = model.stepper() if hasattr(model, "stepper") else None
        for _ in range(length):
            index = _choose(logits, temperature, top_k, generator)
            yield vocab.idx_to_token[index]
            with torch.inference_mode():
                if stepper is not None:
                    logits, state = stepper(index, state)
                else:
                    logits, state = model(torch.tensor([[index]], device=device), state)
                    logits = logits[-1]
        # Here, not in `finally`: an iterator dropped unfinished may be closed on another thread.
        torch.set_num_threads(threads)
    finally:
        model.train(was_training)


def complete(model: nn.Module, vocab: Vocab, prefix: str, length: int, **options: object) -> str:
    """The prefix (as the model read it) followed by `length` generated characters."""
    mode = str(options.get("mode", "letters"))
    return prepare_prefix(prefix, vocab, mode) + "".join(generate(model, vocab, prefix, length, **options))


def usable_prefix(requested: str, fallback_text: str, vocab: Vocab, mode: str) -> str:
    """The requested prefix, or, when it is the book's default and this text cannot
    spell it (a Chinese novel, source code), the first characters of the text."""
    from gru_studio.engine.config import BOOK_PREFIX

    try:
        return prepare_prefix(requested, vocab, mode)
    except GenerationError:
        if requested != BOOK_PREFIX:
            raise
        return fallback_text[:10] or fallback_text
