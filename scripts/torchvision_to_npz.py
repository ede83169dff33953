#!/usr/bin/env python3
"""Write a torchvision model's state_dict as an .npz of numpy arrays, the file `zoobench import torchvision` reads.

    torchvision_to_npz.py MODEL OUT.npz --pth FILE.pth   # torchvision's weights file (e.g. resnet50-0676ba61.pth)
    torchvision_to_npz.py MODEL OUT.npz --random SEED     # seeded random weights, BatchNorm statistics included

MODEL is torchvision's name (alexnet, googlenet, resnet18 ... resnet152, densenet121/161/169/201). The weights are
loaded into torchvision's own model first (strictly), so a file of another architecture fails here, by name.
"""
import argparse
import re
import sys

import numpy
import torch
import torchvision

MODELS = ["alexnet", "googlenet", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
          "densenet121", "densenet161", "densenet169", "densenet201"]
# The tensor whose first dimension is the number of classes.
CLASSIFIER = {"alexnet": "classifier.6.weight", "googlenet": "fc.weight"}
CLASSIFIER.update({m: "fc.weight" for m in MODELS if m.startswith("resnet")})
CLASSIFIER.update({m: "classifier.weight" for m in MODELS if m.startswith("densenet")})
# torchvision's DenseNet files predate its module names: 'denselayer1.norm.1.weight' is 'denselayer1.norm1.weight'.
OLD_DENSENET_NAME = re.compile(
    r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var"
    r"|num_batches_tracked))$")


def build(name, num_classes):
    """torchvision's model `name` with fresh weights; GoogLeNet without its auxiliary heads."""
    if name == "googlenet":
        return torchvision.models.googlenet(weights=None, num_classes=num_classes, aux_logits=False,
                                            init_weights=True)
    return getattr(torchvision.models, name)(weights=None, num_classes=num_classes)


def randomize_batch_norm(model, generator):
    """BatchNorm's scale, shift and running statistics away from their defaults, so an import must map them."""
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            c = module.num_features
            module.weight.data = torch.rand(c, generator=generator) + 0.5
            module.bias.data = torch.randn(c, generator=generator) * 0.1
            module.running_mean = torch.randn(c, generator=generator) * 0.1
            module.running_var = torch.rand(c, generator=generator) + 0.5


def random_model(name, num_classes, seed):
    torch.manual_seed(seed)
    model = build(name, num_classes)
    randomize_batch_norm(model, torch.Generator().manual_seed(seed))
    return model.eval()


def from_pth(name, path):
    state = torch.load(path, map_location="cpu")
    if name.startswith("densenet"):
        state = {OLD_DENSENET_NAME.sub(r"\1\2", k): v for k, v in state.items()}
    if name == "googlenet":
        # torchvision's GoogLeNet file keeps the training-time auxiliary heads, which inference does not use.
        state = {k: v for k, v in state.items() if not k.startswith(("aux1.", "aux2."))}
    if CLASSIFIER[name] not in state:
        sys.exit(f"torchvision_to_npz: {path} has no '{CLASSIFIER[name]}': not a torchvision {name} file")
    model = build(name, state[CLASSIFIER[name]].shape[0])
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as e:  # a tensor of the wrong shape
        detail = " ".join(line.strip() for line in str(e).splitlines()[1:2])
        sys.exit(f"torchvision_to_npz: {path} does not fit torchvision's {name}: {detail[:300]}")
    for kind, keys in (("has no tensor", result.missing_keys), ("has an unexpected tensor", result.unexpected_keys)):
        if keys:
            more = f" (and {len(keys) - 1} more)" if len(keys) > 1 else ""
            sys.exit(f"torchvision_to_npz: {path} {kind} '{keys[0]}'{more}: not a torchvision {name} file")
    return model.eval()


def save(model, path):
    numpy.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=MODELS)
    parser.add_argument("out", help="the .npz to write")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pth", help="a torchvision weights file (a state_dict saved by torch.save)")
    source.add_argument("--random", type=int, metavar="SEED", help="seeded random weights instead")
    parser.add_argument("--num-classes", type=int, default=1000, help="classes of the random model (default 1000)")
    args = parser.parse_args()
    model = from_pth(args.model, args.pth) if args.pth else random_model(args.model, args.num_classes, args.random)
    save(model, args.out)


if __name__ == "__main__":
    main()
