"""Export a model to ONNX (opset 17) with its model card and PyTorch reference check.

Writes NAME.onnx, NAME.json (card, see the model card contract) and NAME.check.json.

  # tiny random test models for the Java tests
  /usr/bin/python3 training/export.py --tiny
  # a trained checkpoint
  /usr/bin/python3 training/export.py --checkpoint training/runs/seg/best.pt --out models/portrait-unet
"""
import argparse
import datetime
import hashlib
import inspect
import json
import math
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import load_trusted  # noqa: E402
from models import IMAGE_MEAN, IMAGE_STD, MNet, Refiner, UNet, build, count_parameters  # noqa: E402

OPSET = 17
INPUT_FORMULA = "x[n,c,h,w] = 0.5*sin(0.1*(c+1)*(h+1) + 0.05*(w+1))"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def formula_input(n, c, h, w):
    """The check input of the card contract, built exactly as the Java test rebuilds it."""
    cc = np.arange(c, dtype=np.float64).reshape(1, c, 1, 1)
    hh = np.arange(h, dtype=np.float64).reshape(1, 1, h, 1)
    ww = np.arange(w, dtype=np.float64).reshape(1, 1, 1, w)
    x = 0.5 * np.sin(0.1 * (cc + 1) * (hh + 1) + 0.05 * (ww + 1))
    x = np.broadcast_to(x, (n, c, h, w))
    return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_commit():
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except Exception:
        return "unknown"


def export_onnx(model, path, channels):
    model.eval()
    dummy = torch.zeros(1, channels, 64, 64)
    axes = {0: "batch", 2: "height", 3: "width"}
    # torch >= 2.9 defaults to the dynamo exporter (needs onnxscript, writes another graph); the TorchScript
    # exporter gives the same graph on torch 1.13 and 2.x
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    with torch.no_grad():
        torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": axes, "output": axes},
                          do_constant_folding=True, **legacy)


def write_check(model, path, channels, height=64, width=96, count=20, seed=1234):
    x = formula_input(1, channels, height, width)
    with torch.no_grad():
        y = model.eval()(x)
    rng = np.random.default_rng(seed)
    samples = []
    # corners first: padding/border handling is where runtimes most often differ
    positions = [(0, 0), (0, width - 1), (height - 1, 0), (height - 1, width - 1)]
    while len(positions) < count:
        positions.append((int(rng.integers(height)), int(rng.integers(width))))
    for h, w in positions:
        samples.append([0, 0, h, w, float(y[0, 0, h, w])])
    check = {"input_shape": [1, channels, height, width], "input_formula": INPUT_FORMULA,
             "samples": samples, "tolerance": 1e-3}
    with open(path, "w") as f:
        json.dump(check, f, indent=2)
        f.write("\n")


def input_channels(task):
    """segmentation: RGB; trimap-matting: RGB + trimap one-hot; trimap-refine: those + the closed-form alpha."""
    return {"segmentation": 3, "trimap-matting": 6, "trimap-refine": 7}[task]


def make_card(name, task, onnx_path, params, size, training, metrics, version="1.0.0", flip_average=False,
              portrait_detail=None):
    seg = task == "segmentation"
    refine = task == "trimap-refine"
    inp = {
        "name": "input",
        "layout": "NCHW",
        "channels": input_channels(task),
        "channel_order": "RGB",
        "size": size,
        "normalisation": {"scale": 255.0, "mean": list(IMAGE_MEAN), "std": list(IMAGE_STD)},
    }
    if not seg:
        inp["trimap_encoding"] = "one-hot-3"
    if refine:
        # the app runs this engine first and hands its alpha over as the seventh plane (MNetEngine)
        inp["base_alpha"] = "closed-form"
    card = {
        "format": "matting-studio-model-card/1",
        "name": name,
        "version": version,
        "task": "trimap-matting" if refine else task,
        "file": os.path.basename(onnx_path),
        "sha256": sha256(onnx_path),
        "parameters": int(params),
        "input": inp,
        "output": {"name": "output", "channels": 1,
                   "meaning": "person probability" if seg else "alpha",
                   "activation": "clamp" if refine else "sigmoid"},
        "training": training,
        "metrics": metrics,
        "created": datetime.datetime.utcnow().strftime("%Y-%m-%d"),
        "commit": git_commit(),
    }
    if flip_average:
        card["inference"] = {"flip_average": True}
    if portrait_detail:
        # the app blends this head-and-shoulders model in on busts where the two agree (PortraitDetailSegmenter);
        # the values were chosen on a held-out slice of portraits train.txt and fullbody val.txt (training/README.md)
        # photos that are not busts run again at scene_size (chosen on fullbody val.txt: 0.878 at 320 -> 0.915 at
        # 480 with flip averaging, 0.915 at 544; portraits are unaffected since busts never take that pass)
        card.setdefault("inference", {})["portrait_detail"] = {
            "model": portrait_detail, "weight": 0.7, "min_agreement": 0.5, "min_bottom": 0.3, "min_area": 0.1,
            "scene_size": 480}
        # GrabCut settles the scene pass's unsure pixels by the photo's colours (ColourRefinedSegmenter); chosen on
        # 100 photos held out of fullbody train.txt (every 9th, evaluate.py seg --set fullbody-train9 --colour-refine)
        # people who fill little of the frame are segmented again on their box first (ZoomSegmenter; chosen on
        # synthetic scenes of fullbody train.txt people, training/README.md)
        card["inference"]["zoom"] = {"max_area": 0.7, "margin": 0.2, "min_component": 0.02}
        card["inference"]["colour_refine"] = {"low": 0.15, "high": 0.95, "iterations": 3, "max_side": 480}
    return card


def export_all(model, task, out_prefix, size, training, metrics, version="1.0.0", flip_average=False,
               portrait_detail=None):
    """Writes out_prefix.onnx, .json and .check.json; returns the card."""
    os.makedirs(os.path.dirname(os.path.abspath(out_prefix)), exist_ok=True)
    name = os.path.basename(out_prefix)
    channels = input_channels(task)
    onnx_path = out_prefix + ".onnx"
    model = model.eval()
    export_onnx(model, onnx_path, channels)
    card = make_card(name, task, onnx_path, count_parameters(model), size, training, metrics, version,
                     flip_average, portrait_detail)
    with open(out_prefix + ".json", "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    write_check(model, out_prefix + ".check.json", channels)
    return card


def seg_size(working_size, max_side=1024):
    return {"rule": "multiple", "multiple": 32, "working_size": int(working_size), "max_side": int(max_side)}


def mnet_size(max_side, working_size=None):
    return {"rule": "multiple", "multiple": 32, "working_size": int(working_size or max_side),
            "max_side": int(max_side)}


def export_tiny(out_dir):
    torch.manual_seed(7)
    unet = UNet(width=4)
    torch.manual_seed(8)
    mnet = MNet(width=4)
    # Random BatchNorm statistics make the tiny models' outputs vary across the image instead of saturating.
    for m, seed in ((unet, 9), (mnet, 10)):
        g = torch.Generator().manual_seed(seed)
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.copy_(torch.randn(mod.num_features, generator=g) * 0.1)
                mod.running_var.copy_(torch.rand(mod.num_features, generator=g) * 0.5 + 0.75)
    # Random heads give logits near 0 (every output ~0.5), which would let a broken runtime pass the
    # 1e-3 check; rescale the last convolutions so the check input yields logits with std ~2.
    for m, c in ((unet, 3), (mnet, 6)):
        with torch.no_grad():
            y = m.eval()(formula_input(1, c, 64, 96)).clamp(1e-6, 1 - 1e-6)
            logit = torch.log(y / (1 - y))
            k = 2.0 / float(logit.std())
            heads = [m.head] if isinstance(m, UNet) else [m.coarse, m.refine[-1]]
            for conv in heads:
                conv.weight.mul_(k)
                conv.bias.mul_(k)
            heads[0].bias.sub_(k * float(logit.mean()))
    note = "randomly initialised test model (seeded); its outputs are meaningless, it only exercises the pipeline"
    training = {"data": [], "terms": "none: random weights", "epochs": 0, "input_size": 64, "notes": note}
    c1 = export_all(unet, "segmentation", os.path.join(out_dir, "tiny-unet"), seg_size(64, 256),
                    dict(training), {})
    training["input_size"] = 256
    c2 = export_all(mnet, "trimap-matting", os.path.join(out_dir, "tiny-mnet"), mnet_size(256),
                    dict(training), {})
    # a refiner's head starts at zero (it would be closed-form exactly); corrections of about 0.1 make the graph's
    # part visible in the check values and in the Java tests
    torch.manual_seed(11)
    ref = Refiner(width=4)
    with torch.no_grad():
        ref.body.head.weight.normal_()
        k = 0.1 / float(ref.eval().body.logits(formula_input(1, 7, 64, 96)).std())
        ref.body.head.weight.mul_(k)
    c3 = export_all(ref, "trimap-refine", os.path.join(out_dir, "tiny-refine"), mnet_size(256), dict(training), {})
    return c1, c2, c3


def load_checkpoint(path):
    ckpt = load_trusted(path)
    model = build(ckpt["task"], ckpt["width"], ckpt.get("prior", False), ckpt.get("context", False))
    model.load_state_dict(ckpt["model"])
    return model.eval(), ckpt


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tiny", action="store_true", help="export the tiny random test models")
    ap.add_argument("--tiny-dir", default=os.path.join(REPO, "src/test/resources/models"))
    ap.add_argument("--checkpoint", help="training checkpoint (.pt) from train_seg.py / train_mnet.py")
    ap.add_argument("--out", help="output prefix, e.g. models/portrait-unet")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--working-size", type=int, help="segmentation working size (default: training input size)")
    ap.add_argument("--max-side", type=int, default=None)
    ap.add_argument("--metrics", default=None, help="JSON file or JSON string merged into the card's metrics")
    ap.add_argument("--notes", default=None, help="extra text appended to training.notes")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--flip-average", action="store_true",
                    help="card: the app averages each prediction with the mirrored image's (evaluate.py --flip)")
    ap.add_argument("--portrait-detail", metavar="MODEL",
                    help="card: blend this head-and-shoulders segmentation model in on busts (e.g. portrait-unet)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.tiny:
        for card in export_tiny(args.tiny_dir):
            print(card["name"], card["parameters"], "params", card["sha256"][:12])
        return
    if not args.checkpoint or not args.out:
        ap.error("--checkpoint and --out are required (or --tiny)")
    model, ckpt = load_checkpoint(args.checkpoint)
    task = ckpt["task"]
    training = dict(ckpt.get("training", {}))
    if task == "trimap-refine" and "terms" not in training:
        # refiner checkpoints saved before train_refine.card_training carried only a sample count
        from train_refine import card_training
        pack = os.path.join(ckpt["args"]["pack"], "train.npz")
        training = card_training(ckpt["args"], np.load(pack)["has_fb"], ckpt["epoch"])
    training.setdefault("epochs", ckpt.get("epoch", 0))
    if args.notes:
        training["notes"] = ". ".join(t.rstrip(".") for t in (training.get("notes", ""), args.notes) if t) + "."
    metrics = dict(ckpt.get("metrics", {}))
    if args.metrics:
        text = open(args.metrics).read() if os.path.exists(args.metrics) else args.metrics
        metrics.update(json.loads(text))
    if task == "segmentation":
        size = seg_size(args.working_size or training.get("input_size", 320), args.max_side or 1024)
    else:
        size = mnet_size(args.max_side or 1024, training.get("input_size"))
    card = export_all(model, task, args.out, size, training, metrics, args.version, args.flip_average,
                      args.portrait_detail)
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
