"""Small pieces of English shared by the command line and the window."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """'1 epoch', '5 epochs': so that no message says '1 epochs'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
