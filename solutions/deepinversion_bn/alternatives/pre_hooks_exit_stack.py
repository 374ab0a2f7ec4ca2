"""deepinversion_bn with forward PRE-hooks (the layer's input is all that is needed), the
variance as the mean squared deviation, the L2 norms as square roots of sums, and an ExitStack
that removes every hook however the block is left."""

import contextlib

import torch
from torch import nn


def bn_statistics_loss(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    for module in model.modules():
        module.train(False)
    total = x.new_zeros(())
    found = []

    def pre_hook(module, args):
        (a,) = args
        a = a.movedim(1, -1).reshape(-1, a.shape[1])  # (N, C): one row per position
        mean = a.mean(0)
        var = ((a - mean) ** 2).mean(0)
        found.append(
            ((mean - module.running_mean) ** 2).sum().sqrt()
            + ((var - module.running_var) ** 2).sum().sqrt()
        )

    with contextlib.ExitStack() as stack:
        for module in model.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                stack.callback(module.register_forward_pre_hook(pre_hook).remove)
        model(x)
    for term in found:
        total = total + term
    return total
