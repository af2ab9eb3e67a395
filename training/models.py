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


class UNet(nn.Module):
    """Person segmentation: RGB (normalised) -> person probability.

    ``width`` is the channel count of the first level; levels double up to 16x.
    width=16 gives about 2.0M parameters, width=12 about 1.1M, width=8 about 0.5M.
    """

    def __init__(self, width=16, in_channels=3):
        super().__init__()
        self.width = width
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
        for up in self.ups:
            y = up(y, feats.pop())
        return self.head(y)


class MNet(nn.Module):
    """Trimap-based matting network (DIM / SHM M-Net style encoder-decoder).

    Input: 6 channels = RGB normalised + trimap one-hot [background, unknown, foreground].
    Output: raw alpha in [0, 1] for every pixel; the caller keeps known trimap pixels.
    ``width`` = 16 is VGG16/4 (16-32-64-128-128), 8 is VGG16/8.
    A final refinement stage sees the input again at full resolution so fine
    edges (hair) are not limited by the decoder's upsampling.
    """

    def __init__(self, width=16, in_channels=6):
        super().__init__()
        self.width = width
        w = [width, width * 2, width * 4, width * 8, width * 8]
        convs = [2, 2, 3, 3, 3]  # VGG16 block depths
        self.enc = nn.ModuleList()
        cin = in_channels
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
            conv_bn_relu(in_channels + 1, w[0]),
            conv_bn_relu(w[0], w[0]),
            nn.Conv2d(w[0], 1, 3, padding=1),
        )

    def forward(self, x):
        return self.forward_both(x)[1]

    def forward_both(self, x):
        """Returns (coarse alpha, refined alpha), both after sigmoid."""
        feats = []
        y = x
        for i, block in enumerate(self.enc):
            y = block(y)
            feats.append(y)
            y = F.max_pool2d(y, 2)
        y = self.bottleneck(y)
        for up in self.ups:
            y = up(y, feats.pop())
        coarse_logit = self.coarse(y)
        coarse = torch.sigmoid(coarse_logit)
        refined = torch.sigmoid(coarse_logit + self.refine(torch.cat([x, coarse], dim=1)))
        return coarse, refined


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


def build(task, width):
    if task == "segmentation":
        return UNet(width=width)
    if task == "trimap-matting":
        return MNet(width=width)
    raise ValueError("unknown task " + task)


if __name__ == "__main__":
    for w in (4, 8, 12, 16):
        u, m = UNet(w), MNet(w)
        print("width", w, "unet", count_parameters(u), "mnet", count_parameters(m))
    u = UNet(8).eval()
    print(u(torch.zeros(1, 3, 64, 96)).shape)
    m = MNet(8).eval()
    print(m(torch.zeros(1, 6, 64, 96)).shape)
