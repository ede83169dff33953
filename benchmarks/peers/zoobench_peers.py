"""PyTorch twins of ZooBench's registered models, for side-by-side timing and output checks.

``build(name, input_shape, num_classes)`` returns an ``nn.Module`` that is the same network as ZooBench's
registry entry ``name`` at that input: the same layers in the same order, biases where ZooBench has them,
and the same trainable parameter count (``trainable_params``), which ``peer_bench.py`` checks against
ZooBench's own count. Inputs are laid out as ZooBench feeds them: images NCHW, sequences
[batch, features, steps].

Where torchvision has the architecture, its model is used (resnet18/34/50/101/152, densenet121/169/201/161).
Everything else is a small module here, with ZooBench's layer names as attribute names so weights can be
copied across layer by layer:

- googlenet and googlenet-bn: torchvision's GoogLeNet puts a 3x3 convolution where the paper (and ZooBench) has
  the 5x5 of the third inception branch, and its BatchNorm eps is 1e-3; these have the 5x5, eps 1e-5, and pool
  with DL4J's "Same" rounding (ceil(size / stride), padding split floor/ceil), so their counts are ZooBench's.
  googlenet has the paper's biased convolutions and LRN (PyTorch's alpha is DL4J's times n: it divides by n).
- LSTMs: DL4J's LSTM has one bias vector per layer where PyTorch's has two (input and recurrent); the
  recurrent bias is held at zero and frozen, so the trainable count and the function are DL4J's. DL4J's
  W [nIn, 4n], RW [n, 4n] and b [4n] hold the gate blocks as (cell input, forget, output, input gate), PyTorch's
  weight_ih [4n, nIn], weight_hh and bias_ih as (input gate, forget, cell input, output): PyTorch's block k is
  DL4J's block (3, 1, 0, 2)[k], transposed.
- Dense layers: DL4J stores W as [nIn, nOut], PyTorch as [out, in]: transpose when copying.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# DL4J's BatchNormalization defaults: eps 1e-5, running averages decayed by 0.9 (PyTorch momentum 0.1).
BN_EPS = 1e-5
BN_MOMENTUM = 0.1


def trainable_params(model: nn.Module) -> int:
    """Trainable parameters, as ZooBench counts them (BatchNorm running statistics are buffers, not counted)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def parse_input(text: str):
    """'3x32x32' -> (3, 32, 32); '28x28' (features x steps) -> (28, 28)."""
    try:
        dims = tuple(int(d) for d in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"input '{text}' is not CxHxW or FxT (e.g. 3x32x32, 28x28)") from None
    if len(dims) not in (2, 3) or min(dims) < 1:
        raise ValueError(f"input '{text}' is not CxHxW or FxT (e.g. 3x32x32, 28x28)")
    return dims


def batch_norm(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


def flattened_size(features: nn.Module, input_shape) -> int:
    """What a fully connected layer after ``features`` reads, found the way DL4J infers nIn: from the shapes."""
    with torch.no_grad():
        return features(torch.zeros(1, *input_shape)).flatten(1).shape[1]


def image_input(name, input_shape):
    if len(input_shape) != 3:
        raise ValueError(f"'{name}' reads images given as CxHxW, not {'x'.join(map(str, input_shape))}")


class MaxPoolSame(nn.Module):
    """DL4J's max pooling in ConvolutionMode.Same: output ceil(size / stride), padding split floor/ceil, pads never win."""

    def __init__(self, kernel, stride):
        super().__init__()
        self.kernel = kernel
        self.stride = stride

    def forward(self, x):
        pads = []
        for size in (x.shape[3], x.shape[2]):
            out = math.ceil(size / self.stride)
            total = max((out - 1) * self.stride + self.kernel - size, 0)
            pads += [total // 2, total - total // 2]
        if any(pads):
            x = F.pad(x, pads, value=float("-inf"))
        return F.max_pool2d(x, self.kernel, self.stride)


class ConvBnRelu(nn.Sequential):
    """ZooBench's convBnRelu: convolution without bias, BatchNorm, ReLU (layers NAME, NAME_bn, NAME_relu)."""

    def __init__(self, cin, cout, kernel, stride, padding):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding, bias=False)
        self.bn = batch_norm(cout)
        self.relu = nn.ReLU(inplace=True)


class ConvRelu(nn.Sequential):
    """ZooBench's convRelu: convolution with bias, ReLU."""

    def __init__(self, cin, cout, kernel, stride, padding):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding)
        self.relu = nn.ReLU(inplace=True)


def response_norm():
    """Krizhevsky et al.'s LRN as ZooBench's: k=2, n=5, alpha=1e-4 on the plain sum (PyTorch divides by n)."""
    return nn.LocalResponseNorm(5, alpha=1e-4 * 5, beta=0.75, k=2.0)


# ---------------------------------------------------------------- LeNet-5 and AlexNet (mini)

class LeNet5(nn.Module):
    """ZooBench's LeNet5: c1 5x5 pad 2 (6), s2, c3 5x5 (16), s4, c5 fc 120, f6 fc 84, output; ReLU, biases."""

    def __init__(self, input_shape, num_classes):
        super().__init__()
        channels = input_shape[0]
        self.features = nn.Sequential()
        self.features.add_module("c1", nn.Conv2d(channels, 6, 5, 1, 2))
        self.features.add_module("c1_relu", nn.ReLU(inplace=True))
        self.features.add_module("s2", nn.MaxPool2d(2, 2))
        self.features.add_module("c3", nn.Conv2d(6, 16, 5, 1, 0))
        self.features.add_module("c3_relu", nn.ReLU(inplace=True))
        self.features.add_module("s4", nn.MaxPool2d(2, 2))
        self.c5 = nn.Linear(flattened_size(self.features, input_shape), 120)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, num_classes)

    def forward(self, x):
        x = self.features(x).flatten(1)
        x = F.relu(self.c5(x))
        x = F.relu(self.f6(x))
        return self.output(x)


# name, single-tower filters, kernel, stride, padding, max pool after (ZooBench's AlexNet.CONVOLUTIONS)
ALEXNET_CONVOLUTIONS = [
    ("conv1", 64, 11, 4, 2, True),
    ("conv2", 192, 5, 1, 2, True),
    ("conv3", 384, 3, 1, 1, False),
    ("conv4", 256, 3, 1, 1, False),
    ("conv5", 256, 3, 1, 1, True),
]
ALEXNET_FC_WIDTH = 4096
# The mini nets: conv1 3x3 stride 1 pad 1, every width divided by 4.
MINI_WIDTH_DIVISOR = 4
# Zeiler and Fergus' variants, as ZooBench registers them: suffix -> (removed layers, fc6/fc7 width).
ALEXNET_VARIANTS = {
    "": ((), ALEXNET_FC_WIDTH),
    "-no-fc7": (("fc7",), ALEXNET_FC_WIDTH),
    "-no-fc6-fc7": (("fc6", "fc7"), ALEXNET_FC_WIDTH),
    "-no-conv3-conv4": (("conv3", "conv4"), ALEXNET_FC_WIDTH),
    "-no-conv3-conv4-fc6-fc7": (("conv3", "conv4", "fc6", "fc7"), ALEXNET_FC_WIDTH),
    "-fc8192": ((), 8192),
    "-fc2048": ((), 2048),
}


class AlexNet(nn.Module):
    """ZooBench's single-tower AlexNet (torchvision's widths, no LRN), any of its ablations, full size or mini."""

    def __init__(self, input_shape, num_classes, removed=(), fc_width=ALEXNET_FC_WIDTH, mini=False):
        super().__init__()
        divisor = MINI_WIDTH_DIVISOR if mini else 1
        channels = input_shape[0]
        self.features = nn.Sequential()
        for name, filters, kernel, stride, padding, pool_after in ALEXNET_CONVOLUTIONS:
            if name in removed:
                continue
            if mini and name == "conv1":
                kernel, stride, padding = 3, 1, 1
            self.features.add_module(name, nn.Conv2d(channels, filters // divisor, kernel, stride, padding))
            self.features.add_module(name + "_relu", nn.ReLU(inplace=True))
            channels = filters // divisor
            if pool_after:
                self.features.add_module(name.replace("conv", "pool"), nn.MaxPool2d(3, 2))
        width = flattened_size(self.features, input_shape)
        self.classifier = nn.Sequential()
        for name in ("fc6", "fc7"):
            if name in removed:
                continue
            self.classifier.add_module(name, nn.Linear(width, fc_width // divisor))
            self.classifier.add_module(name + "_relu", nn.ReLU(inplace=True))
            self.classifier.add_module(name + "_dropout", nn.Dropout(0.5))
            width = fc_width // divisor
        self.output = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.output(self.classifier(self.features(x).flatten(1)))


# ---------------------------------------------------------------- CIFAR ResNets (He et al. 2015, section 4.2)

class BasicUnit(nn.Module):
    """relu(conv-BN-ReLU, conv-BN + shortcut): option A (zero padding), B (projection) or none (plain)."""

    def __init__(self, cin, width, stride, shortcut):
        super().__init__()
        self.conv1 = ConvBnRelu(cin, width, 3, stride, 1)
        self.conv2 = nn.Conv2d(width, width, 3, 1, 1, bias=False)
        self.conv2_bn = batch_norm(width)
        self.shortcut_kind = shortcut
        self.stride = stride
        self.extra_channels = width - cin
        self.projection = None
        if shortcut == "projection" and (stride != 1 or cin != width):
            self.projection = nn.Sequential()
            self.projection.add_module("conv", nn.Conv2d(cin, width, 1, stride, 0, bias=False))
            self.projection.add_module("bn", batch_norm(width))

    def shortcut(self, x):
        if self.projection is not None:
            return self.projection(x)
        # Option A: every stride-th position, zero channels appended after the kept ones (as ZooBench does).
        if self.stride > 1:
            x = x[:, :, ::self.stride, ::self.stride]
        if self.extra_channels > 0:
            n, _, h, w = x.shape
            x = torch.cat([x, x.new_zeros(n, self.extra_channels, h, w)], 1)
        return x

    def forward(self, x):
        branch = self.conv2_bn(self.conv2(self.conv1(x)))
        if self.shortcut_kind != "none":
            branch = branch + self.shortcut(x)
        return F.relu(branch)


class CifarResNet(nn.Module):
    """ZooBench's CIFAR ResNet of depth 6n + 2: conv1 3x3 (16), three stages of n basic units at 16-32-64."""

    WIDTHS = (16, 32, 64)

    def __init__(self, input_shape, num_classes, depth, shortcut):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = ConvBnRelu(input_shape[0], self.WIDTHS[0], 3, 1, 1)
        channels = self.WIDTHS[0]
        self.stages = nn.Sequential()
        for stage, width in enumerate(self.WIDTHS):
            for unit in range(n):
                stride = 2 if stage > 0 and unit == 0 else 1
                self.stages.add_module(f"stage{stage + 1}_unit{unit + 1}",
                                       BasicUnit(channels, width, stride, shortcut))
                channels = width
        self.output = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.stages(self.conv1(x))
        return self.output(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# ---------------------------------------------------------------- DenseNet-BC for CIFAR (Huang et al. 2017)

class DenseLayer(nn.Module):
    """BN-ReLU-1x1 conv to 4k maps, BN-ReLU-3x3 conv to k maps, reading the concatenation of what came before."""

    def __init__(self, cin, growth):
        super().__init__()
        self.conv1_bn = batch_norm(cin)
        self.conv1 = nn.Conv2d(cin, 4 * growth, 1, 1, 0, bias=False)
        self.conv2_bn = batch_norm(4 * growth)
        self.conv2 = nn.Conv2d(4 * growth, growth, 3, 1, 1, bias=False)

    def forward(self, x):
        x = self.conv1(F.relu(self.conv1_bn(x)))
        return self.conv2(F.relu(self.conv2_bn(x)))


class DenseBlock(nn.Module):
    def __init__(self, cin, layers, growth):
        super().__init__()
        self.layers = nn.ModuleList(DenseLayer(cin + i * growth, growth) for i in range(layers))

    def forward(self, x):
        features = [x]
        for layer in self.layers:
            features.append(layer(torch.cat(features, 1) if len(features) > 1 else x))
        return torch.cat(features, 1)


class Transition(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv_bn = batch_norm(cin)
        self.conv_relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(cin, cout, 1, 1, 0, bias=False)
        self.pool = nn.AvgPool2d(2, 2)


class CifarDenseNetBC(nn.Module):
    """DenseNet-BC of depth 6n + 4, growth k: 3x3 stem of 2k maps, three blocks of n layers, compression 0.5."""

    def __init__(self, input_shape, num_classes, depth, growth):
        super().__init__()
        n = (depth - 4) // 6
        channels = 2 * growth
        self.conv0 = nn.Conv2d(input_shape[0], channels, 3, 1, 1, bias=False)
        self.blocks = nn.Sequential()
        for b in range(3):
            self.blocks.add_module(f"dense{b + 1}", DenseBlock(channels, n, growth))
            channels += n * growth
            if b < 2:
                compressed = int(math.floor(channels * 0.5))
                self.blocks.add_module(f"transition{b + 1}", Transition(channels, compressed))
                channels = compressed
        self.norm5 = batch_norm(channels)
        self.output = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = F.relu(self.norm5(self.blocks(self.conv0(x))))
        return self.output(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# ---------------------------------------------------------------- GoogLeNet, original and with BatchNorm (Szegedy et al. 2014)

# Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj; a 3x3/2 max pool precedes each stage.
GOOGLENET_STAGES = [
    [("inception_3a", (64, 96, 128, 16, 32, 32)),
     ("inception_3b", (128, 128, 192, 32, 96, 64))],
    [("inception_4a", (192, 96, 208, 16, 48, 64)),
     ("inception_4b", (160, 112, 224, 24, 64, 64)),
     ("inception_4c", (128, 128, 256, 24, 64, 64)),
     ("inception_4d", (112, 144, 288, 32, 64, 64)),
     ("inception_4e", (256, 160, 320, 32, 128, 128))],
    [("inception_5a", (256, 160, 320, 32, 128, 128)),
     ("inception_5b", (384, 192, 384, 48, 128, 128))],
]


class Inception(nn.Module):
    """Four branches, concatenated in this order: 1x1; 1x1 then 3x3; 1x1 then 5x5; 3x3/1 max pool then 1x1."""

    def __init__(self, cin, filters, conv):
        super().__init__()
        n1x1, reduce3x3, n3x3, reduce5x5, n5x5, pool_proj = filters
        self.b1x1 = conv(cin, n1x1, 1, 1, 0)
        self.b3x3 = nn.Sequential(conv(cin, reduce3x3, 1, 1, 0), conv(reduce3x3, n3x3, 3, 1, 1))
        self.b5x5 = nn.Sequential(conv(cin, reduce5x5, 1, 1, 0), conv(reduce5x5, n5x5, 5, 1, 2))
        self.pool = MaxPoolSame(3, 1)
        self.pool_proj = conv(cin, pool_proj, 1, 1, 0)
        self.out_channels = n1x1 + n3x3 + n5x5 + pool_proj

    def forward(self, x):
        return torch.cat([self.b1x1(x), self.b3x3(x), self.b5x5(x), self.pool_proj(self.pool(x))], 1)


class GoogLeNet(nn.Module):
    """ZooBench's googlenet (the paper's Table 1: biased convolutions and ReLU, LRN after pool1 and conv2) or,
    with ``batch_norm``, its googlenet-bn (conv-BN-ReLU everywhere, no LRN); no auxiliary heads."""

    def __init__(self, input_shape, num_classes, batch_norm):
        super().__init__()
        conv = ConvBnRelu if batch_norm else ConvRelu
        self.features = nn.Sequential()
        self.features.add_module("conv1", conv(input_shape[0], 64, 7, 2, 3))
        self.features.add_module("pool1", MaxPoolSame(3, 2))
        if not batch_norm:
            self.features.add_module("pool1_lrn", response_norm())
        self.features.add_module("conv2_reduce", conv(64, 64, 1, 1, 0))
        self.features.add_module("conv2", conv(64, 192, 3, 1, 1))
        if not batch_norm:
            self.features.add_module("conv2_lrn", response_norm())
        channels = 192
        for stage, modules in enumerate(GOOGLENET_STAGES):
            self.features.add_module(f"pool{stage + 2}", MaxPoolSame(3, 2))
            for name, filters in modules:
                module = Inception(channels, filters, conv)
                self.features.add_module(name, module)
                channels = module.out_channels
        self.dropout = nn.Dropout(0.4)
        self.output = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1)
        return self.output(self.dropout(x))


# ---------------------------------------------------------------- Bidirectional LSTM, max over time

def dl4j_lstm(input_size, hidden, bidirectional):
    """One LSTM layer with DL4J's single bias: PyTorch's recurrent bias stays zero and is not trained."""
    lstm = nn.LSTM(input_size, hidden, batch_first=True, bidirectional=bidirectional)
    for name, parameter in lstm.named_parameters():
        if name.startswith("bias_hh"):
            nn.init.zeros_(parameter)
            parameter.requires_grad_(False)
    return lstm


class RecurrentMax(nn.Module):
    """ZooBench's bilstm-max / lstm-max: 2 LSTM layers of 64 per direction, dropout 0.2 between them,
    directions concatenated, class scores at every step, max over time. Input [batch, features, steps]."""

    DEPTH = 2
    WIDTH = 64
    DROPOUT = 0.2

    def __init__(self, input_shape, num_classes, bidirectional):
        super().__init__()
        features = input_shape[0]
        directions = 2 if bidirectional else 1
        self.rnn1 = dl4j_lstm(features, self.WIDTH, bidirectional)
        self.rnn1_dropout = nn.Dropout(self.DROPOUT)
        self.rnn2 = dl4j_lstm(directions * self.WIDTH, self.WIDTH, bidirectional)
        self.step_scores = nn.Linear(directions * self.WIDTH, num_classes)

    def forward(self, x):
        x = x.transpose(1, 2)
        x, _ = self.rnn1(x)
        x, _ = self.rnn2(self.rnn1_dropout(x))
        return self.step_scores(x).amax(1)


def sequence_input(name, input_shape):
    if len(input_shape) != 2:
        raise ValueError(f"'{name}' reads sequences given as FxT (features x steps, e.g. 28x28), "
                         f"not {'x'.join(map(str, input_shape))}")


# ---------------------------------------------------------------- the registry

def _torchvision(factory):
    def build_torchvision(name, input_shape, num_classes):
        image_input(name, input_shape)
        import torchvision.models as models
        model = getattr(models, factory)(num_classes=num_classes)
        if input_shape[0] != 3:
            # ZooBench's stem reads whatever channels the input has; torchvision's is fixed at 3.
            conv = model.conv1 if hasattr(model, "conv1") else model.features.conv0
            replacement = nn.Conv2d(input_shape[0], conv.out_channels, conv.kernel_size, conv.stride,
                                    conv.padding, bias=False)
            if hasattr(model, "conv1"):
                model.conv1 = replacement
            else:
                model.features.conv0 = replacement
        return model
    return build_torchvision


def _images(factory):
    def build_images(name, input_shape, num_classes):
        image_input(name, input_shape)
        return factory(input_shape, num_classes)
    return build_images


def _cifar_resnet(depth, shortcut):
    return _images(lambda shape, classes: CifarResNet(shape, classes, depth, shortcut))


def _recurrent(bidirectional):
    def build_recurrent(name, input_shape, num_classes):
        sequence_input(name, input_shape)
        return RecurrentMax(input_shape, num_classes, bidirectional)
    return build_recurrent


def _alexnet(removed, fc_width, mini):
    return _images(lambda shape, classes: AlexNet(shape, classes, removed, fc_width, mini))


BUILDERS = {"lenet5": _images(LeNet5),
            "googlenet": _images(lambda shape, classes: GoogLeNet(shape, classes, False)),
            "googlenet-bn": _images(lambda shape, classes: GoogLeNet(shape, classes, True)),
            "densenet-bc-100": _images(lambda shape, classes: CifarDenseNetBC(shape, classes, 100, 12)),
            "bilstm-max": _recurrent(True), "lstm-max": _recurrent(False)}
for _suffix, (_removed, _width) in ALEXNET_VARIANTS.items():
    BUILDERS["alexnet" + _suffix] = _alexnet(_removed, _width, False)
    BUILDERS["alexnet-mini" + _suffix] = _alexnet(_removed, _width, True)
for _depth in (20, 32, 44, 56, 110):
    BUILDERS[f"resnet{_depth}"] = _cifar_resnet(_depth, "zero-padding")
    BUILDERS[f"resnet{_depth}-b"] = _cifar_resnet(_depth, "projection")
    BUILDERS[f"plain{_depth}"] = _cifar_resnet(_depth, "none")
for _depth in (18, 34, 50, 101, 152):
    BUILDERS[f"resnet{_depth}"] = _torchvision(f"resnet{_depth}")
for _depth in (121, 169, 201, 161):
    BUILDERS[f"densenet{_depth}"] = _torchvision(f"densenet{_depth}")

NAMES = sorted(BUILDERS)


def build(name: str, input_shape, num_classes: int) -> nn.Module:
    """The PyTorch twin of ZooBench's ``name`` at ``input_shape`` ((C, H, W) or (F, T)) with ``num_classes``."""
    if name not in BUILDERS:
        raise KeyError(f"no PyTorch peer for '{name}'; peers exist for: {', '.join(NAMES)}")
    return BUILDERS[name](name, tuple(input_shape), num_classes)
