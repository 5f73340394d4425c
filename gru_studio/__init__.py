"""GRU Studio: train and explore gated recurrent unit language models."""

__version__ = "0.1.0"
