"""Reference solution for deepinversion_bn: DeepInversion's batch-norm statistics loss."""

from __future__ import annotations

import torch
from torch import nn


def bn_statistics_loss(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Σ over BatchNorm layers of ‖μ_batch − running_mean‖₂ + ‖σ²_batch − running_var‖₂."""
    # Eval mode: every BatchNorm normalises with (and keeps) its running statistics, which are
    # the target here; in train mode the forward would overwrite them.
    model.eval()
    terms: list[torch.Tensor] = []

    def record(module: nn.Module, inputs: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
        # The statistics of what enters the layer, per channel (dim 1), over every other dim.
        a = inputs[0]
        dims = [0, *range(2, a.dim())]
        mean = a.mean(dim=dims)
        var = a.var(dim=dims, unbiased=False)  # biased, as BatchNorm normalises with
        terms.append(
            torch.linalg.vector_norm(mean - module.running_mean)
            + torch.linalg.vector_norm(var - module.running_var)
        )

    bn_layers = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    handles = [layer.register_forward_hook(record) for layer in bn_layers]
    try:
        model(x)
    finally:  # a forward that raises must not leave hooks behind
        for handle in handles:
            handle.remove()
    return torch.stack(terms).sum()
