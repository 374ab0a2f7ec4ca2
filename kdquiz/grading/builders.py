"""Small, instrumented PyTorch objects that hidden suites pass to submissions.

A suite cannot send a live ``nn.Module`` or optimizer across the sandbox boundary (only plain data
crosses), so it sends a *spec*: which builder, its arguments and the weights. The judge and the
sandboxed child both build the object from the same spec with the code below, which is public and
holds no answers. Every model records, for each forward pass, whether it was in training mode and
whether autograd was on, and, for each backward pass, whether gradients were stale (not zeroed)
when new ones arrived, so a suite can tell the learner exactly which rule of the loop they broke.

torch is imported by the functions that need it, never at module level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_RECORDS = 10_000


@dataclass(frozen=True)
class ModelSpec:
    """A model to build: ``arch`` names a builder below, ``options`` its keyword arguments, and
    ``state`` the weights (a state_dict of tensors) it starts from."""

    arch: str
    options: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] | None = None
    train: bool = True
    prefill_grads: bool = False
    """Start with non-zero .grad on every parameter (as if a previous step left them), so a
    single-step function that forgets zero_grad() is caught."""
    frozen: bool | tuple[str, ...] = False
    """True: every parameter starts with requires_grad=False (a frozen teacher, as DINO and MoCo
    keep theirs); a tuple of names: only the parameters whose names start with one of them (a
    partly frozen model, e.g. ``("0.",)`` for the first layer)."""
    dtype: str | None = None
    """A floating-point dtype for the whole model ("float64", "bfloat16", ...); default float32."""


@dataclass(frozen=True)
class Stream:
    """A sequence handed over as a plain iterable: it can be iterated (again and again, once per
    epoch, like a DataLoader) but has no len() and no indexing, so code that treats a loader as a
    list is caught. Its items cross like any other argument."""

    items: tuple[Any, ...]
    reshuffle: int | None = None
    """A seed: every pass then yields the items in a fresh order, as a DataLoader with
    shuffle=True does (code that pairs batches across epochs by position is caught). The orders
    come from this seed, so :meth:`iterable` gives the reference the same sequence of orders."""

    def iterable(self) -> StreamIterable:
        """The same iterable the submission gets, for running the reference in the judge."""
        return StreamIterable(list(self.items), self.reshuffle)


class StreamIterable:
    """What a :class:`Stream` becomes on the submission's side."""

    def __init__(self, items: list[Any], reshuffle: int | None = None) -> None:
        self._items = items
        self._reshuffle = reshuffle
        self._passes = 0

    def __iter__(self) -> Any:
        if self._reshuffle is None:
            return iter(self._items)
        import torch

        generator = torch.Generator().manual_seed(self._reshuffle + self._passes)
        self._passes += 1
        order = torch.randperm(len(self._items), generator=generator).tolist()
        return iter([self._items[i] for i in order])


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer over the parameters of the ModelSpec argument at position ``model_arg``
    (or keyword name)."""

    kind: str
    model_arg: int | str
    options: dict[str, Any] = field(default_factory=dict)


def _mlp(
    sizes: list[int], batchnorm: bool = False, dropout: float = 0.0, tagged: bool = False
) -> Any:
    """Linear layers (with BatchNorm1d, ReLU, dropout between them). ``tagged`` puts a first
    module holding an integer and a boolean buffer (as position ids and masks are in real
    models), for code that must treat non-floating-point state right."""
    from torch import nn

    layers: list[nn.Module] = [_Tagged()] if tagged else []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
        layers.append(nn.Linear(fan_in, fan_out))
        if index < len(sizes) - 2:
            if batchnorm:
                layers.append(nn.BatchNorm1d(fan_out))
            layers.append(nn.ReLU())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def _linear(in_features: int, out_features: int, bias: bool = True) -> Any:
    from torch import nn

    return nn.Linear(in_features, out_features, bias=bias)


def _conv1x1(in_channels: int, out_channels: int, batchnorm: bool = False) -> Any:
    from torch import nn

    layers: list[nn.Module] = [
        nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=not batchnorm)
    ]
    if batchnorm:
        layers.append(nn.BatchNorm2d(out_channels))
    return nn.Sequential(*layers)


def _cnn(in_channels: int, width: int, classes: int) -> Any:
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(in_channels, width, 3, padding=1),
        nn.BatchNorm2d(width),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(width, classes),
    )


def _bn_net(in_channels: int, widths: list[int], hidden: int, classes: int) -> Any:
    """A small image classifier with BatchNorm at every depth, the kind DeepInversion inverts:
    (Conv2d 3x3, BatchNorm2d, ReLU) per width, global average pooling, then Linear, BatchNorm1d,
    ReLU and the output Linear. Images (B, in_channels, H, W) -> logits (B, classes)."""
    from torch import nn

    layers: list[nn.Module] = []
    channels = in_channels
    for width in widths:
        layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()]
        channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, hidden)]
    layers += [nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, classes)]
    return nn.Sequential(*layers)


def _tiny_lm(vocab: int, dim: int) -> Any:
    """A tiny causal language model: token ids (B, L) int64 -> next-token logits (B, L, vocab),
    where position i sees tokens 0..i only (embedding, a one-layer GRU, a linear head). No
    dropout and no sampling inside: the same ids always give the same logits."""
    from torch import nn

    class TinyLM(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(vocab, dim)
            self.rnn = nn.GRU(dim, dim, batch_first=True)
            self.head = nn.Linear(dim, vocab)

        def forward(self, ids: Any) -> Any:
            hidden, _ = self.rnn(self.embed(ids))
            return self.head(hidden)

    return TinyLM()


def _Tagged() -> Any:  # noqa: N802 - builds a module, like the other builders
    import torch
    from torch import nn

    class Tagged(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("positions", torch.arange(4))
            self.register_buffer("mask", torch.ones(4, dtype=torch.bool))

        def forward(self, x: Any) -> Any:
            return x

    return Tagged()


def _tied(vocab: int, dim: int) -> Any:
    """A token embedding whose weight is also the output layer's (weight tying, as in GPT-2):
    token ids (B, L) -> logits (B, L, vocab). One tensor under two names in the state_dict."""
    from torch import nn

    class Tied(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(vocab, dim)
            self.norm = nn.LayerNorm(dim)
            self.head = nn.Linear(dim, vocab, bias=False)
            self.head.weight = self.embed.weight

        def forward(self, ids: Any) -> Any:
            return self.head(self.norm(self.embed(ids)))

    return Tied()


ARCHES = {
    "mlp": _mlp,
    "linear": _linear,
    "conv1x1": _conv1x1,
    "cnn": _cnn,
    "tied": _tied,
    "bn_net": _bn_net,
    "tiny_lm": _tiny_lm,
}


class Recorder:
    """What happened to one built model during a call."""

    def __init__(self, model: Any = None) -> None:
        self.forwards: list[dict[str, bool]] = []
        self.backwards: list[dict[str, bool]] = []
        self.model = model

    def as_data(self) -> dict[str, Any]:
        return {
            "forwards": self.forwards[:MAX_RECORDS],
            "backwards": self.backwards[:MAX_RECORDS],
            "hooks": self.hooks_left(),
        }

    def hooks_left(self) -> int:
        """Hooks the call left on the model's modules (forward, pre-forward, backward), beyond
        the builder's own one, plus global module hooks: code that registers hooks must remove
        them (DeepInversion's BatchNorm hooks, feature taps)."""
        if self.model is None:
            return 0
        from torch.nn.modules import module as torch_module

        count = -1  # the builder's own forward pre-hook
        for sub in self.model.modules():
            for name in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks"):
                count += len(getattr(sub, name, {}))
            count += len(getattr(sub, "_backward_pre_hooks", {}))
        for name in ("_global_forward_hooks", "_global_forward_pre_hooks"):
            count += len(getattr(torch_module, name, {}))
        return count


def build_model(spec: ModelSpec, seed: int = 0) -> tuple[Any, Recorder]:
    """Build and instrument the model a spec describes."""
    import torch

    if spec.arch not in ARCHES:
        raise ValueError(f"unknown model arch {spec.arch!r}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = ARCHES[spec.arch](**spec.options)  # type: ignore[operator]
    if spec.dtype is not None:
        if spec.dtype not in ("float16", "bfloat16", "float32", "float64"):
            raise ValueError(f"unknown model dtype {spec.dtype!r}")
        model.to(getattr(torch, spec.dtype))
    if spec.state is not None:
        model.load_state_dict(spec.state)
    model.train(spec.train)
    if spec.frozen is True:
        model.requires_grad_(False)
    elif spec.frozen:
        for name, param in model.named_parameters():
            if name.startswith(tuple(spec.frozen)):
                param.requires_grad_(False)
    if spec.prefill_grads:
        for param in model.parameters():
            param.grad = torch.full_like(param, 0.5)
    recorder = Recorder(model)

    def on_forward(module: Any, inputs: Any) -> None:
        if len(recorder.forwards) < MAX_RECORDS:
            # The mode of every submodule, not only the top one: `model.training = True` sets
            # the flag on the top module alone and leaves its BatchNorm layers in eval mode.
            modes = [m.training for m in module.modules()]
            recorder.forwards.append(
                {
                    "training": all(modes),  # every submodule in training mode
                    "eval": not any(modes),  # every submodule in eval mode
                    "grad_enabled": torch.is_grad_enabled(),
                }
            )

    model.register_forward_pre_hook(on_forward)
    params = [p for p in model.parameters() if p.requires_grad]
    if params:
        # One probe parameter sees every backward pass that reaches the model. Its hook runs
        # before the new gradient is accumulated: a non-zero .grad then means the previous
        # step's gradient was never cleared.
        probe = params[0]

        def on_grad(grad: Any) -> Any:
            if len(recorder.backwards) < MAX_RECORDS:
                stale = probe.grad is not None and bool(probe.grad.abs().sum() > 0)
                recorder.backwards.append({"stale": stale})
            return grad

        probe.register_hook(on_grad)
    return model, recorder


def warm_up() -> None:
    """Import what torch's optimizers import lazily, so that it is not paid inside a grading.

    Constructing the first optimizer (``add_param_group``) and its first ``step()`` import
    ``torch._dynamo``: about 1 s on the 2-core reference machine, once per process. A suite that
    sends :class:`OptimizerSpec` objects made both the judge (the reference's step) and the
    sandboxed child pay it inside the graded time (fix_the_loop 2.1 s, train_student 2.5 s;
    0.26 s and 0.39 s once both processes are warm). The warm zygote calls this before it forks
    and the judge before it starts its clock, only for such suites: the others keep a cold
    ``kdquiz grade`` as fast as before.
    """
    import torch._dynamo  # noqa: F401 - the import is the point


def build_optimizer(spec: OptimizerSpec, model: Any) -> Any:
    """Build the optimizer a spec describes over ``model``'s parameters."""
    import torch

    kinds = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}
    if spec.kind not in kinds:
        raise ValueError(f"unknown optimizer kind {spec.kind!r}")
    return kinds[spec.kind](model.parameters(), **spec.options)


def init_state(
    arch: str, options: dict[str, Any], seed: int, dtype: str | None = None
) -> dict[str, Any]:
    """Fresh random weights for a spec, drawn from ``seed`` (for suites)."""
    model, _ = build_model(ModelSpec(arch, options, dtype=dtype), seed=seed)
    return {k: v.detach().clone() for k, v in model.state_dict().items()}
