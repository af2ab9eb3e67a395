"""Tiny ONNX test models in the conventions of other projects' exports (issue 17), with PyTorch references.

No third-party weights: every model is a seeded random net of a few hundred parameters, exported the way the
real files are laid out, so `models import` (family detection, card writing) and the segmentation engine
(fixed sizes, several outputs, logits, NHWC, min-max rescaling, MODNet's size rule) are tested on graphs shaped
like the ones users have:

  tiny-u2net        rembg u2net/u2netp/u2net_human_seg: input "input.1" fixed [1,3,320,320], seven outputs
                    (probabilities), rembg uses the first; ImageNet mean/std after dividing by the image's maximum;
                    output min-max rescaled
  tiny-isnet        rembg isnet-general-use: fixed [1,3,320,320] (the real one is 1024), several outputs whose graph
                    order is not their alphabetical order; mean ImageNet, std 1
  tiny-birefnet     rembg birefnet-*: fixed [1,3,320,320], outputs logits (rembg applies the sigmoid), then min-max
  tiny-modnet       MODNet onnx/export_onnx.py: "input"/"output", dynamic batch/height/width, (x-127.5)/127.5,
                    output in [0,1]; the app applies MODNet's reference-size-512, multiple-of-32 rule
  tiny-u2net-nhwc   a u2net-style graph taking NHWC [1,320,320,3] and giving NHWC [1,320,320,1]
  tiny-two-inputs   a graph with two image inputs: must be refused

Each NAME.onnx gets NAME.check.json: the test image formula, how to import it, and samples of the final mask
(after every family rule) computed here, which the Java test compares with the app's result.

  /usr/bin/python3 training/make_family_test_models.py
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "src/test/resources/models/families")
OPSET = 17
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# The Java test builds the same image (ModelFamiliesTest.formulaImage); max value 200 so that rembg's
# "divide by the image's maximum" differs from dividing by 255.
IMAGE_FORMULA = "r=(3x+5y)%201, g=(7x+2y+40)%201, b=(x+11y+90)%201"


def formula_image(width, height):
    """uint8 RGB, H x W x 3."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    r = (3 * x + 5 * y) % 201
    g = (7 * x + 2 * y + 40) % 201
    b = (x + 11 * y + 90) % 201
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


class TinyNet(nn.Module):
    """Two resolutions (full and 1/2) so outputs vary smoothly and sharply; one 1x1 head per output."""

    def __init__(self, heads, sigmoid, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.c1 = nn.Conv2d(3, 6, 3, padding=1)
        self.c2 = nn.Conv2d(6, 6, 3, padding=1)
        self.heads = nn.ModuleList(nn.Conv2d(12, 1, 1) for _ in range(heads))
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        self.sigmoid = sigmoid

    def forward(self, x):
        f = F.relu(self.c1(x))
        h = F.relu(self.c2(F.avg_pool2d(f, 2)))
        h = F.interpolate(h, scale_factor=2.0, mode="bilinear", align_corners=False)
        z = torch.cat([f, h], dim=1)
        outs = [head(z) for head in self.heads]
        return tuple(torch.sigmoid(o) for o in outs) if self.sigmoid else tuple(outs)


def calibrate(net, x):
    """Rescales every head so its logits on the check image have std ~2 around 0: saturated or flat outputs would let
    a wrong normalisation or the wrong output pass the check."""
    sig = net.sigmoid
    net.sigmoid = False
    with torch.no_grad():
        outs = net(x)
        for head, o in zip(net.heads, outs):
            k = 2.0 / float(o.std())
            head.weight.mul_(k)
            head.bias.mul_(k)
            head.bias.sub_(k * float(o.mean()))
    net.sigmoid = sig


class Nhwc(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        y = self.net(x.permute(0, 3, 1, 2))[0]
        return y.permute(0, 2, 3, 1)


class TwoInputs(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, a, b):
        return self.net(a + b)[0]


def normalise(img, mean, std, divide_by_max, scale=255.0):
    x = img.astype(np.float64)
    x = x / max(x.max(), 1e-6) if divide_by_max else x / scale
    x = (x - np.array(mean)) / np.array(std)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32))


def minmax(p):
    return (p - p.min()) / (p.max() - p.min())


def export(model, path, dummy, input_names, output_names, dynamic=None):
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic, do_constant_folding=True)
    size = os.path.getsize(path)
    assert size < 1_000_000, (path, size)
    return size


def samples(mask, count=24, seed=5):
    """[x, y, value] at the corners and seeded random places of an H x W mask."""
    h, w = mask.shape
    rng = np.random.default_rng(seed)
    pos = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]
    while len(pos) < count:
        pos.append((int(rng.integers(w)), int(rng.integers(h))))
    return [[x, y, float(mask[y, x])] for x, y in pos]


def write_check(path, checks, notes):
    with open(path, "w") as f:
        json.dump({"image_formula": IMAGE_FORMULA, "notes": notes, "checks": checks}, f, indent=2)
        f.write("\n")


def check_entry(name, width, height, mask, card=None):
    e = {"name": name, "width": width, "height": height, "tolerance": 2e-3, "samples": samples(mask),
         "mean": float(mask.mean())}
    if card:
        e["card_changes"] = card
    return e


def rembg_style(name, family, mean, std, logits, heads, seed, output_names, notes):
    net = TinyNet(heads, sigmoid=not logits, seed=seed)
    img = formula_image(320, 320)
    x = normalise(img, mean, std, True)
    calibrate(net, x)
    path = os.path.join(OUT, name + ".onnx")
    size = export(net, path, torch.zeros(1, 3, 320, 320), ["input.1" if family == "u2net" else "input"],
                  output_names)
    with torch.no_grad():
        first = net(x)[0][0, 0].double()
        if logits:
            first = torch.sigmoid(first)
        mask = minmax(first).numpy()
        checks = [check_entry("squash 320x320", 320, 320, mask)]
        # The same model with a letterbox card: a 320x160 image is padded (edge replicated) to 320x320, the
        # model's output cropped back and min-max rescaled over the image only.
        wide = formula_image(320, 160)
        xw = normalise(wide, mean, std, True)
        xp = F.pad(xw, (0, 0, 0, 160), mode="replicate")
        p = net(xp)[0][0, 0, :160, :].double()
        if logits:
            p = torch.sigmoid(p)
        checks.append(check_entry("letterbox 320x160", 320, 160, minmax(p).numpy(), {"input.size.resize": "letterbox"}))
    write_check(os.path.join(OUT, name + ".check.json"), checks, notes)
    return size


def make_modnet(seed):
    net = TinyNet(1, sigmoid=True, seed=seed)
    img = formula_image(512, 384)  # both sides <= 512, max == 512: MODNet keeps the size; multiples of 32
    x = normalise(img, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5), False)
    calibrate(net, x)
    path = os.path.join(OUT, "tiny-modnet.onnx")
    axes = {0: "batch_size", 2: "height", 3: "width"}
    size = export(net, path, torch.zeros(1, 3, 512, 512), ["input"], ["output"], {"input": axes, "output": axes})
    with torch.no_grad():
        mask = net(x)[0][0, 0].double().numpy()
    write_check(os.path.join(OUT, "tiny-modnet.check.json"), [check_entry("reference 512x384", 512, 384, mask)],
                "MODNet conventions: (x-127.5)/127.5, no rescaling; 512x384 is kept as it is by the reference-size rule")
    return size


def make_nhwc(seed):
    net = TinyNet(1, sigmoid=True, seed=seed)
    img = formula_image(320, 320)
    x = normalise(img, IMAGENET_MEAN, IMAGENET_STD, True)
    calibrate(net, x)
    model = Nhwc(net)
    path = os.path.join(OUT, "tiny-u2net-nhwc.onnx")
    size = export(model, path, torch.zeros(1, 320, 320, 3), ["image"], ["mask"])
    with torch.no_grad():
        y = model(x.permute(0, 2, 3, 1))[0, :, :, 0].double()
    write_check(os.path.join(OUT, "tiny-u2net-nhwc.check.json"),
                [check_entry("squash 320x320", 320, 320, minmax(y).numpy())],
                "u2net conventions on an NHWC graph: input [1,320,320,3], output [1,320,320,1]")
    return size


def make_two_inputs(seed):
    model = TwoInputs(TinyNet(1, sigmoid=True, seed=seed))
    path = os.path.join(OUT, "tiny-two-inputs.onnx")
    return export(model, path, (torch.zeros(1, 3, 320, 320), torch.zeros(1, 3, 320, 320)), ["image", "prior"],
                  ["mask"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    sizes = {
        "tiny-u2net": rembg_style("tiny-u2net", "u2net", IMAGENET_MEAN, IMAGENET_STD, False, 7, 21,
                                  ["d0", "d1", "d2", "d3", "d4", "d5", "d6"],
                                  "rembg u2net.py conventions: squash to 320x320, x/max(x), ImageNet mean/std, "
                                  "first of seven outputs, min-max"),
        "tiny-isnet": rembg_style("tiny-isnet", "isnet", IMAGENET_MEAN, (1.0, 1.0, 1.0), False, 3, 22,
                                  ["mask", "b_side2", "a_side1"],
                                  "rembg dis_general_use.py conventions: x/max(x), mean ImageNet, std 1, first "
                                  "output ('mask', not alphabetically first), min-max"),
        "tiny-birefnet": rembg_style("tiny-birefnet", "birefnet", IMAGENET_MEAN, IMAGENET_STD, True, 1, 23,
                                     ["output_image"],
                                     "rembg birefnet_general.py conventions: x/max(x), ImageNet mean/std, logits: "
                                     "sigmoid, then min-max"),
        "tiny-modnet": make_modnet(24),
        "tiny-u2net-nhwc": make_nhwc(25),
        "tiny-two-inputs": make_two_inputs(26),
    }
    for k, v in sizes.items():
        print(f"{k}: {v} bytes")


if __name__ == "__main__":
    main()
