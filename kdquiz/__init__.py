"""kdquiz: interview preparation for knowledge distillation, in the terminal."""

__version__ = "0.1.0"
