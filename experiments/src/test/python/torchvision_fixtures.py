"""Fixtures of TorchvisionEquivalenceTest, all from one Python process: for each MODEL:CxHxW argument, torchvision's
model with seeded random weights as MODEL.npz (as scripts/torchvision_to_npz.py writes it), a seeded random batch
MODEL-input.npy and torchvision's eval-mode logits for it, MODEL-logits.npy.

    torchvision_fixtures.py OUT_DIR CLASSES BATCH MODEL:CxHxW...
"""
import os
import sys

import numpy
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "scripts"))
import torchvision_to_npz  # noqa: E402


def main():
    out, classes, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(2)
    for seed, spec in enumerate(sys.argv[4:], start=1):
        name, shape = spec.split(":")
        model = torchvision_to_npz.random_model(name, classes, seed)
        torchvision_to_npz.save(model, os.path.join(out, name + ".npz"))
        x = torch.randn([batch] + [int(d) for d in shape.split("x")], generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            logits = model(x)
        numpy.save(os.path.join(out, name + "-input.npy"), x.numpy())
        numpy.save(os.path.join(out, name + "-logits.npy"), logits.numpy())


if __name__ == "__main__":
    main()
