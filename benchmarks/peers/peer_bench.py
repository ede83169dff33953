"""The PyTorch side of ``zoobench bench --peer pytorch``: parameter counts and timings of zoobench_peers' nets.

    peer_bench.py versions
        {"python": ..., "torch": ..., "torchvision": ...}; exit 3 when PyTorch or torchvision is missing.
    peer_bench.py names
        the registry names that have a peer.
    peer_bench.py params NAME@INPUT@CLASSES...
        one {"model", "input", "classes", "params"} per net (trainable parameters), or exit 2 with one line.
    peer_bench.py time --model NAME --input CxHxW --classes N --batch B --expect-params P
                       [--threads 2] [--warmup-ms 4000] [--repeats 3] [--repeat-ms 3000] [--seed 42]
        a training step (forward, cross-entropy, backward, SGD-with-momentum update) and an inference pass
        (eval mode, no_grad) on random data: warm-up, then ``repeats`` timed stretches of at least
        ``repeat-ms`` each; img/s per stretch, their median and range. Exit 2 without timing anything when
        the net's trainable parameters are not ``expect-params`` (then it is not ZooBench's net).

Output is JSON on stdout; errors are one line on stderr.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time

MISSING_TORCH = 3
USER_ERROR = 2

# SGD with momentum, the update of the comparison's method; the rate does not change the time of a step.
LEARNING_RATE = 0.01
MOMENTUM = 0.9


def fail(message, code=USER_ERROR):
    print("zoobench: " + message, file=sys.stderr)
    sys.exit(code)


def import_torch():
    try:
        import torch
        import torchvision
    except ImportError as e:
        fail(f"PyTorch is missing for {sys.executable} ({e}): apt-get install -y python3-torch "
             "python3-torchvision", MISSING_TORCH)
    return torch, torchvision


def versions(_):
    torch, torchvision = import_torch()
    return {"python": platform.python_version(), "executable": sys.executable, "torch": torch.__version__,
            "torchvision": torchvision.__version__, "config": torch.__config__.show()}


def build(name, input_text, classes):
    import zoobench_peers
    try:
        return zoobench_peers.build(name, zoobench_peers.parse_input(input_text), classes)
    except (KeyError, ValueError) as e:
        fail(e.args[0])


def names(_):
    import_torch()
    import zoobench_peers
    return zoobench_peers.NAMES


@contextlib.contextmanager
def without_initialisation(torch):
    """Counting needs shapes, not values: skip the random initialisation that dominates building the large nets."""
    saved = {name: getattr(torch.nn.init, name) for name in dir(torch.nn.init) if name.endswith("_")}
    for name in saved:
        setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(torch.nn.init, name, function)


def params(args):
    torch, _ = import_torch()
    import zoobench_peers
    rows = []
    for spec in args.specs:
        parts = spec.split("@")
        if len(parts) != 3 or not parts[2].isdigit():
            fail(f"'{spec}' is not NAME@INPUT@CLASSES (e.g. lenet5@1x28x28@10)")
        name, input_text, classes = parts[0], parts[1], int(parts[2])
        with without_initialisation(torch):
            model = build(name, input_text, classes)
        rows.append({"model": name, "input": input_text, "classes": classes,
                     "params": zoobench_peers.trainable_params(model)})
    return rows


def timed_stretches(step, batch, warmup_ms, repeats, repeat_ms):
    """Runs ``step`` for ``warmup_ms``, then ``repeats`` stretches of at least ``repeat_ms``: img/s and ms/step of each."""
    deadline = time.perf_counter() + warmup_ms / 1000
    step()
    while time.perf_counter() < deadline:
        step()
    stretches = []
    for _ in range(repeats):
        steps = 0
        start = time.perf_counter()
        deadline = start + repeat_ms / 1000
        while True:
            step()
            steps += 1
            now = time.perf_counter()
            if now >= deadline:
                break
        stretches.append({"steps": steps, "seconds": now - start})
    rates = [s["steps"] * batch / s["seconds"] for s in stretches]
    step_ms = [1000 * s["seconds"] / s["steps"] for s in stretches]
    return {"images_per_second": statistics.median(rates), "images_per_second_low": min(rates),
            "images_per_second_high": max(rates), "step_ms": statistics.median(step_ms),
            "stretches": stretches}


def timing(args):
    torch, _ = import_torch()
    import zoobench_peers
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = build(args.model, args.input, args.classes)
    count = zoobench_peers.trainable_params(model)
    if count != args.expect_params:
        fail(f"the PyTorch peer of '{args.model}' at {args.input} has {count:,} trainable parameters, "
             f"ZooBench's {args.expect_params:,}: not the same net, nothing timed")
    shape = zoobench_peers.parse_input(args.input)
    x = torch.randn(args.batch, *shape)
    y = torch.randint(0, args.classes, (args.batch,))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=LEARNING_RATE, momentum=MOMENTUM)
    loss_function = torch.nn.CrossEntropyLoss()

    def training_step():
        optimizer.zero_grad(set_to_none=True)
        loss_function(model(x), y).backward()
        optimizer.step()

    def inference():
        with torch.no_grad():
            model(x)

    model.train()
    training = timed_stretches(training_step, args.batch, args.warmup_ms, args.repeats, args.repeat_ms)
    model.eval()
    inferring = timed_stretches(inference, args.batch, args.warmup_ms, args.repeats, args.repeat_ms)
    return {"model": args.model, "input": args.input, "classes": args.classes, "batch": args.batch,
            "params": count, "threads": torch.get_num_threads(), "torch": torch.__version__,
            "training": training, "inference": inferring}


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("versions").set_defaults(run=versions)
    commands.add_parser("names").set_defaults(run=names)
    counting = commands.add_parser("params")
    counting.add_argument("specs", nargs="+", metavar="NAME@INPUT@CLASSES")
    counting.set_defaults(run=params)
    timer = commands.add_parser("time")
    timer.add_argument("--model", required=True)
    timer.add_argument("--input", required=True)
    timer.add_argument("--classes", type=int, required=True)
    timer.add_argument("--batch", type=int, required=True)
    timer.add_argument("--expect-params", type=int, required=True)
    timer.add_argument("--threads", type=int, default=2)
    timer.add_argument("--warmup-ms", type=int, default=4000)
    timer.add_argument("--repeats", type=int, default=3)
    timer.add_argument("--repeat-ms", type=int, default=3000)
    timer.add_argument("--seed", type=int, default=42)
    timer.set_defaults(run=timing)
    args = parser.parse_args()
    json.dump(args.run(args), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
