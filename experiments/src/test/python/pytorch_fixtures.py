"""Fixtures of the equivalence tests, all from one Python process. For each SOURCE:MODEL:SHAPE argument, a PyTorch
model with seeded random weights (BatchNorm statistics included) as NAME.npz, a seeded random batch NAME-input.npy
and the model's eval-mode outputs for it, NAME-logits.npy, where NAME is MODEL with SOURCE 'torchvision' (torchvision's
model, as scripts/torchvision_to_npz.py writes it) and peer-MODEL with SOURCE 'peer' (ZooBench's PyTorch twin from
benchmarks/peers/zoobench_peers.py). SHAPE is CxHxW, or FxT for sequences.

    pytorch_fixtures.py OUT_DIR CLASSES BATCH SOURCE:MODEL:SHAPE...
"""
import os
import sys

import numpy
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.join(ROOT, "benchmarks", "peers"))
import torchvision_to_npz  # noqa: E402
import zoobench_peers  # noqa: E402


def peer(name, shape, classes, seed):
    torch.manual_seed(seed)
    model = zoobench_peers.build(name, shape, classes)
    generator = torch.Generator().manual_seed(seed)
    torchvision_to_npz.randomize_batch_norm(model, generator)
    for key, tensor in model.state_dict().items():
        # The peers hold PyTorch's second LSTM bias at zero; any value must import as part of DL4J's one bias.
        if ".bias_hh" in key:
            tensor.copy_(torch.randn(tensor.shape, generator=generator) * 0.1)
    return model.eval()


def main():
    out, classes, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(2)
    for seed, spec in enumerate(sys.argv[4:], start=1):
        source, name, text = spec.split(":")
        shape = [int(d) for d in text.split("x")]
        if source == "torchvision":
            model, file = torchvision_to_npz.random_model(name, classes, seed), name
        else:
            model, file = peer(name, shape, classes, seed), "peer-" + name
        torchvision_to_npz.save(model, os.path.join(out, file + ".npz"))
        x = torch.randn([batch] + shape, generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            logits = model(x)
        numpy.save(os.path.join(out, file + "-input.npy"), x.numpy())
        numpy.save(os.path.join(out, file + "-logits.npy"), logits.numpy())


if __name__ == "__main__":
    main()
