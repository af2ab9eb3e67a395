"""Network definitions shared by training, export and evaluation.

Both networks end with a sigmoid inside ``forward`` so the exported ONNX graph
already yields values in [0, 1] (model card: ``"activation": "sigmoid"``).
Spatial sizes must be multiples of 32 (five 2x poolings).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, k=3):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, padding=k // 2, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DoubleConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(conv_bn_relu(cin, cout), conv_bn_relu(cout, cout))


class Up(nn.Module):
    """Bilinear 2x upsampling, concatenation with the skip, two convolutions."""

    def __init__(self, cin, cskip, cout):
        super().__init__()
        self.conv = DoubleConv(cin + cskip, cout)

    def forward(self, x, skip):
        # scale_factor (not size=skip.shape) keeps the ONNX Resize free of shape arithmetic;
        # inputs are multiples of 32 so the sizes always agree.
        x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        return self.conv(torch.cat([x, skip], dim=1))


class GlobalContext(nn.Module):
    """Whole-frame context at the U-Net's bottleneck (1/32): two dilated 3x3 convolutions (dilation 2 and 4,
    about 12 cells = the whole 256-px frame) plus the frame's global mean, added back residually.

    Without it a 5-level U-Net decides from a window far smaller than a standing person, which is why
    portrait-unet 2.0.0 lost whole bodies and off-centre people. The output convolution starts at zero, so a
    U-Net trained without the block starts as the same function (``--init``). Global average pooling and
    broadcasting keep the ONNX graph free of shape arithmetic (any input size)."""

    def __init__(self, c):
        super().__init__()
        self.dil = nn.Sequential(
            nn.Conv2d(c, c, 3, padding=2, dilation=2, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
            nn.Conv2d(c, c, 3, padding=4, dilation=4, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))
        self.glob = nn.Sequential(nn.Conv2d(c, c, 1), nn.ReLU(inplace=True))
        self.out = nn.Conv2d(2 * c, c, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):
        g = self.glob(torch.mean(x, dim=(2, 3), keepdim=True)) * torch.ones_like(x[:, :1])
        return x + self.out(torch.cat([self.dil(x), g], dim=1))


class UNet(nn.Module):
    """Person segmentation: RGB (normalised) -> person probability.

    ``width`` is the channel count of the first level; levels double up to 16x.
    width=16 gives about 2.0M parameters, width=12 about 1.1M, width=8 about 0.5M; ``context`` adds the
    bottleneck's GlobalContext block (width 16: +0.33M).
    """

    def __init__(self, width=16, in_channels=3, context=False):
        super().__init__()
        self.width = width
        self.context = GlobalContext(width * 8) if context else None
        # The deepest levels stay at 8x: at 1/16 and 1/32 resolution more channels mostly add parameters.
        w = [width, width * 2, width * 4, width * 8, width * 8, width * 8]
        self.inc = DoubleConv(in_channels, w[0])
        self.downs = nn.ModuleList(DoubleConv(w[i], w[i + 1]) for i in range(5))
        self.ups = nn.ModuleList(Up(w[i + 1], w[i], w[i]) for i in reversed(range(5)))
        self.head = nn.Conv2d(w[0], 1, 1)

    def forward(self, x):
        return torch.sigmoid(self.logits(x))

    def logits(self, x):
        feats = [self.inc(x)]
        for down in self.downs:
            feats.append(down(F.max_pool2d(feats[-1], 2)))
        y = feats.pop()
        if self.context is not None:
            y = self.context(y)
        for up in self.ups:
            y = up(y, feats.pop())
        return self.head(y)


# ImageNet normalisation of the RGB input: data.py normalises with it, export.py writes it into the cards and the
# prior branch undoes it in the graph, so it is defined once, here.
IMAGE_MEAN = (0.485, 0.456, 0.406)
IMAGE_STD = (0.229, 0.224, 0.225)


def push_pull(values, weights, levels=5, gain=4.0, eps=1e-6):
    """Fills every pixel with the weighted mean of ``values`` over the nearest pixels of weight > 0.

    Pull: a 2x average pyramid of values*weights and weights. Push: from the global mean at the top down to full
    resolution, each level keeps its own mean where enough of its block is known (weight share * gain, at most 1)
    and the coarser estimate elsewhere. So a pixel deep in a wide unknown band gets the colour of the known region
    around it at the scale where that region starts. Sizes are multiples of 2**levels (the networks' 32).
    """
    nums, dens = [values * weights], [weights]
    for _ in range(levels):
        nums.append(F.avg_pool2d(nums[-1], 2))
        dens.append(F.avg_pool2d(dens[-1], 2))
    est = nums[-1].sum(dim=(2, 3), keepdim=True) / (dens[-1].sum(dim=(2, 3), keepdim=True) + eps)
    est = est * torch.ones_like(dens[-1])  # broadcast without shape arithmetic in the ONNX graph
    for level in reversed(range(levels + 1)):
        if level < levels:
            est = F.interpolate(est, scale_factor=2.0, mode="bilinear", align_corners=False)
        c = torch.clamp(dens[level] * gain, max=1.0)
        est = c * nums[level] / (dens[level] + eps) + (1 - c) * est
    return est


class KnownColourPrior(nn.Module):
    """Sampling-based prior from the trimap's known regions, computed in the graph (no parameters).

    F and B = push-pull means of the known foreground / background colours near each pixel; the prior alpha is the
    image colour projected on the line B -> F (the compositing equation solved per pixel for those F and B), with
    |F - B| as its confidence. Eight channels: F, B (normalised like the image), alpha, |F - B|.
    A small network cannot learn colour-based propagation across 100-px bands from CPU-sized training; this gives
    it the estimate classical sampling methods start from.
    """
    CHANNELS = 8

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(IMAGE_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGE_STD).view(1, 3, 1, 1))

    def forward(self, x):
        rgb = x[:, 0:3] * self.std + self.mean
        fg, bg = push_pull(rgb, x[:, 5:6]), push_pull(rgb, x[:, 3:4])
        d = fg - bg
        dd = (d * d).sum(dim=1, keepdim=True)
        alpha = torch.clamp(((rgb - bg) * d).sum(dim=1, keepdim=True) / (dd + 1e-3), 0.0, 1.0)
        return torch.cat([(fg - self.mean) / self.std, (bg - self.mean) / self.std, alpha, torch.sqrt(dd + 1e-6)],
                         dim=1)


class MNet(nn.Module):
    """Trimap-based matting network (DIM / SHM M-Net style encoder-decoder).

    Input: 6 channels = RGB normalised + trimap one-hot [background, unknown, foreground].
    Output: raw alpha in [0, 1] for every pixel; the caller keeps known trimap pixels.
    ``width`` = 16 is VGG16/4 (16-32-64-128-128), 8 is VGG16/8.
    A final refinement stage sees the input again at full resolution so fine
    edges (hair) are not limited by the decoder's upsampling.
    """

    def __init__(self, width=16, in_channels=6, prior=False):
        super().__init__()
        self.width = width
        self.prior = KnownColourPrior() if prior else None
        extra = KnownColourPrior.CHANNELS if prior else 0
        w = [width, width * 2, width * 4, width * 8, width * 8]
        convs = [2, 2, 3, 3, 3]  # VGG16 block depths
        self.enc = nn.ModuleList()
        cin = in_channels + extra
        for c, n in zip(w, convs):
            layers = [conv_bn_relu(cin, c)] + [conv_bn_relu(c, c) for _ in range(n - 1)]
            self.enc.append(nn.Sequential(*layers))
            cin = c
        self.bottleneck = conv_bn_relu(w[4], w[4])
        self.ups = nn.ModuleList()
        cin = w[4]
        for i in reversed(range(5)):
            self.ups.append(Up(cin, w[i], w[i]))
            cin = w[i]
        self.coarse = nn.Conv2d(w[0], 1, 3, padding=1)
        self.refine = nn.Sequential(
            conv_bn_relu(in_channels + 1 + extra, w[0]),
            conv_bn_relu(w[0], w[0]),
            nn.Conv2d(w[0], 1, 3, padding=1),
        )

    def forward(self, x):
        return self.forward_both(x)[1]

    def forward_both(self, x):
        """Returns (coarse alpha, refined alpha), both after sigmoid."""
        feats = []
        # channel order [input, prior] (and [input, coarse, prior] below) keeps a plain MNet's weights a prefix,
        # so --init from one starts the prior's weights at zero: the same function, then trained
        p = self.prior(x) if self.prior is not None else None
        y = x if p is None else torch.cat([x, p], dim=1)
        for i, block in enumerate(self.enc):
            y = block(y)
            feats.append(y)
            y = F.max_pool2d(y, 2)
        y = self.bottleneck(y)
        for up in self.ups:
            y = up(y, feats.pop())
        coarse_logit = self.coarse(y)
        coarse = torch.sigmoid(coarse_logit)
        r = [x, coarse] if p is None else [x, coarse, p]
        refined = torch.sigmoid(coarse_logit + self.refine(torch.cat(r, dim=1)))
        return coarse, refined


class Refiner(nn.Module):
    """Corrects the closed-form engine's alpha instead of replacing it (`train_refine.py`).

    Input: 7 channels = RGB normalised + trimap one-hot [background, unknown, foreground] + closed-form alpha in [0, 1].
    Output: alpha = closed-form alpha + a correction, clamped to [0, 1] in the exported graph. The U-Net's head starts
    at zero, so an untrained refiner is closed-form exactly and training can only move it where the data says
    closed-form is wrong; on the synthetic composites alone a full network learned shortcuts that real photos punish
    (MNet 3.0.0: 2.6 synthetic SAD but 12.3 on alphamatting, where closed-form scores 7.6).
    """

    def __init__(self, width=8):
        super().__init__()
        self.width = width
        self.body = UNet(width=width, in_channels=7)
        nn.init.zeros_(self.body.head.weight)
        nn.init.zeros_(self.body.head.bias)

    def forward(self, x):
        return torch.clamp(self.raw(x), 0.0, 1.0)

    def raw(self, x):
        """The unclamped alpha (training: a clamp would stop the gradient where closed-form says 0 or 1)."""
        return x[:, 6:7] + self.body.logits(x)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


def build(task, width, prior=False, context=False):
    if task == "segmentation":
        return UNet(width=width, context=context)
    if task == "trimap-matting":
        return MNet(width=width, prior=prior)
    if task == "trimap-refine":
        return Refiner(width=width)
    raise ValueError("unknown task " + task)


if __name__ == "__main__":
    for w in (4, 8, 12, 16):
        u, m = UNet(w), MNet(w)
        print("width", w, "unet", count_parameters(u), "mnet", count_parameters(m))
    u = UNet(8).eval()
    print(u(torch.zeros(1, 3, 64, 96)).shape)
    m = MNet(8).eval()
    print(m(torch.zeros(1, 6, 64, 96)).shape)
