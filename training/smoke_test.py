"""End-to-end smoke test on a tiny generated data set (no shared data needed, < 2 minutes on CPU):
build a pack, train each model a few steps, resume, export, and check card, checksum and ONNX Runtime outputs.

  /usr/bin/python3 training/smoke_test.py
"""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PY = sys.executable


def make_pack(out, rng):
    os.makedirs(out)
    n = 12
    imgs = rng.integers(0, 255, (n, 256, 192, 3), dtype=np.uint8)
    imgs = np.stack([cv2.GaussianBlur(i, (0, 0), 3) for i in imgs])
    masks = np.zeros((n, 256, 192), np.uint8)
    for i in range(n):
        cv2.ellipse(masks[i], (96 + int(rng.integers(-20, 20)), 110), (50, 70), 0, 0, 360, 255, -1)
        cv2.rectangle(masks[i], (30, 190), (162, 255), 255, -1)
        imgs[i][masks[i] > 0] = (imgs[i][masks[i] > 0] // 2 + 120).astype(np.uint8)
    np.savez(os.path.join(out, "portraits.npz"), train_images=imgs, train_masks=masks,
             train_ids=np.array([str(i) for i in range(n)]), test_images=imgs[:2], test_masks=masks[:2],
             test_ids=np.array(["0", "1"]))
    bgs = np.stack([cv2.GaussianBlur(b, (0, 0), 2) for b in rng.integers(0, 255, (8, 320, 320, 3), dtype=np.uint8)])
    cuts = np.zeros((4, 256, 256, 4), np.uint8)
    for c in cuts:
        c[..., :3] = rng.integers(0, 255, 3)
        a = np.zeros((256, 256), np.float32)
        cv2.ellipse(a, (128, 128), (60, 110), 0, 0, 360, 1.0, -1)
        c[..., 3] = (cv2.GaussianBlur(a, (0, 0), 4) * 255).astype(np.uint8)
    np.savez(os.path.join(out, "composites.npz"), backgrounds=bgs, cutouts=cuts,
             background_names=np.array(["b%d" % i for i in range(8)]))


def run(*args):
    print("$", " ".join(args), flush=True)
    subprocess.run([PY, *args], check=True, cwd=REPO)


def check_card(prefix, task, channels):
    card = json.load(open(prefix + ".json"))
    digest = hashlib.sha256(open(prefix + ".onnx", "rb").read()).hexdigest()
    assert card["format"] == "matting-studio-model-card/1", card["format"]
    assert card["task"] == task and card["input"]["channels"] == channels
    assert card["sha256"] == digest, "card sha256 does not match the .onnx"
    assert card["file"] == os.path.basename(prefix) + ".onnx"
    assert card["input"]["size"]["multiple"] == 32 and card["output"]["activation"] == "sigmoid"
    assert card["parameters"] > 0 and card["training"]["epochs"] >= 1
    assert card.get("inference", {}).get("flip_average", False) == (task == "segmentation")
    check = json.load(open(prefix + ".check.json"))
    assert check["input_shape"][1] == channels and len(check["samples"]) >= 20
    print("card ok:", os.path.basename(prefix), card["parameters"], "params, metrics", card["metrics"])


def onnx_runtime_check(prefix):
    jars = glob.glob(os.path.expanduser("~/.m2/repository/com/microsoft/onnxruntime/onnxruntime*/*/onnxruntime*.jar"))
    if not jars or not shutil.which("java"):
        print("skipping ONNX Runtime check: no java or no onnxruntime jar in ~/.m2")
        return
    subprocess.run(["java", "-cp", jars[0], os.path.join(HERE, "CheckOnnx.java"), prefix + ".onnx",
                    prefix + ".check.json"], check=True)


def check_widen(checkpoint, out):
    """widen.py doubles the width; without symmetry noise the wide network computes what the narrow one did."""
    sys.path.insert(0, HERE)
    import torch
    from export import load_checkpoint
    from widen import widen
    old, _ = load_checkpoint(checkpoint)
    x = torch.from_numpy(np.random.default_rng(3).normal(size=(2, 3, 64, 96)).astype(np.float32))
    with torch.no_grad():
        diff = float((widen(old, 0.0).eval()(x) - old(x)).abs().max())
    assert diff < 1e-5, "widened network differs by %g" % diff
    run("training/widen.py", "--checkpoint", checkpoint, "--out", out)
    print("widen ok: max difference without noise %.1e" % diff)


def check_time_budget(pack, run_dir):
    """--max-minutes fits the schedule to the budget: the run stops on time with the rate annealed."""
    run("training/train_seg.py", "--run", run_dir, "--size", "64", "--epochs", "400", "--val-count", "4",
        "--pack", pack, "--width", "4", "--threads", "1", "--batch", "4", "--max-minutes", "0.2")
    log = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
    fitted = [r for r in log if r.get("event") == "schedule fitted to the time budget"]
    epochs = [r for r in log if "loss" in r]
    assert fitted and len(epochs) < 400, "schedule was not fitted to the time budget"
    assert epochs[-1]["lr"] < 0.2 * 2e-3, "learning rate not annealed at the end: %g" % epochs[-1]["lr"]
    print("time budget ok: %d epochs, last lr %.2g" % (len(epochs), epochs[-1]["lr"]))


def check_compact_pack(pack, out, run_dir):
    """The encoded pack decodes to the same masks and cut-outs (lossless) and trains like the plain one."""
    sys.path.insert(0, HERE)
    from data import compact_pack, load_pack
    compact_pack(pack, out)
    for name, keys in (("portraits", ["train_masks"]), ("composites", ["cutouts"])):
        a, b = load_pack(name, pack), load_pack(name, out)
        for k in keys:
            assert (a[k] == b[k]).all(), "%s/%s changed in the compact pack" % (name, k)
        assert not any(k.startswith("test_") for k in b), "the compact pack carries the test split"
    run("training/train_mnet.py", "--run", run_dir, "--pack", out, "--size", "64", "--epochs", "1", "--samples", "8",
        "--val-samples", "4", "--width", "4", "--threads", "1", "--batch", "4")
    print("compact pack ok:", sorted(os.listdir(out)))


def check_freeze_bn(pack, init, run_dir):
    """--freeze-bn: a fine-tune moves the convolutions but leaves every BatchNorm statistic and affine term as loaded."""
    import torch
    run("training/train_seg.py", "--run", run_dir, "--size", "64", "--epochs", "1", "--val-count", "4", "--pack", pack,
        "--width", "4", "--threads", "1", "--batch", "4", "--init", init, "--freeze-bn", "--lr", "1e-2")
    before = torch.load(init, map_location="cpu", weights_only=False)["model"]
    after = torch.load(os.path.join(run_dir, "last.pt"), map_location="cpu", weights_only=False)["model"]
    bn = [k for k in before if k.endswith("running_mean")]
    assert bn, "no BatchNorm in the model"
    for k in bn:
        for name in ("running_mean", "running_var", "weight", "bias"):
            key = k[:-len("running_mean")] + name
            assert torch.equal(before[key], after[key]), "--freeze-bn changed " + key
    assert any(not torch.equal(before[k], after[k]) for k in before if k.endswith("conv.weight") or ".0.weight" in k), \
        "nothing was trained"


def check_segmix_sizes(rng):
    """--sizes: batches cycle through every (size, orientation) frame; one size keeps the two frames it always had."""
    sys.path.insert(0, HERE)
    from segmix import SegMix
    portraits = {"train_images": rng.integers(0, 255, (4, 128, 96, 3), dtype=np.uint8),
                 "train_masks": np.full((4, 128, 96), 255, np.uint8)}
    seg3 = {"portrait_train_soft": np.zeros((4, 128, 96), np.uint8), "portrait_train_has_soft": np.zeros(4, bool),
            "fb_train_images": rng.integers(0, 255, (4, 96, 64, 3), dtype=np.uint8),
            "fb_train_masks": np.full((4, 96, 64), 255, np.uint8)}
    comp = {"backgrounds": rng.integers(0, 255, (2, 160, 160, 3), dtype=np.uint8),
            "cutouts": np.full((2, 64, 64, 4), 255, np.uint8)}
    one = SegMix(portraits, seg3, comp, range(4), size=128)
    assert one.frames == [(96, 128), (128, 96)], one.frames
    two = SegMix(portraits, seg3, comp, range(4), size=128, sizes=[128, 192])
    assert two.frames == [(96, 128), (128, 96), (128, 192), (192, 128)], two.frames
    shapes = [tuple(two.batch(0, step, 2)[0].shape[2:]) for step in range(4)]
    assert shapes == [(128, 96), (96, 128), (192, 128), (128, 192)], shapes
    # a selection hold-out: the held-out full bodies are never drawn (photo 0 is black, the others white)
    seg3["fb_train_images"][0] = 0
    seg3["fb_train_images"][1:] = 255
    held = SegMix(portraits, seg3, comp, range(4), size=128, p_portrait=0, p_fullbody=1, fullbody_idx=[1, 2, 3])
    assert all(held.fb_idx == [1, 2, 3])
    for step in range(8):
        x = held.batch(0, step, 2)[0]
        assert float(x.mean()) > 1.0, "a held-out (black) photo was drawn"


def make_refine_pack(out, rng):
    """refine_data.py's layout without the Java engine: a blurred copy of the true alpha plays closed-form's."""
    os.makedirs(out)
    for split, n in (("train", 6), ("val", 4)):
        gt = np.zeros((n, 64, 64), np.uint8)
        for g in gt:
            cv2.circle(g, (32 + int(rng.integers(-8, 8)), 32), 18, 255, -1)
        gt = np.stack([cv2.GaussianBlur(g, (0, 0), 2) for g in gt])
        tri = np.where(gt < 10, 0, np.where(gt > 245, 255, 128)).astype(np.uint8)
        tri = np.stack([cv2.dilate((t == 128).astype(np.uint8), np.ones((5, 5), np.uint8)) * 128 +
                        (t == 255) * (cv2.dilate((t == 128).astype(np.uint8), np.ones((5, 5), np.uint8)) == 0) * 255
                        for t in tri]).astype(np.uint8)
        cf = np.stack([cv2.GaussianBlur(g, (0, 0), 3) for g in gt])
        img = (gt[..., None] * np.array([0.8, 0.5, 0.3]) + (255 - gt[..., None]) * np.array([0.1, 0.4, 0.9])).astype(np.uint8)
        np.savez(os.path.join(out, split + ".npz"), image=img, trimap=tri, gt=gt, cf=cf,
                 has_fb=np.arange(n) % 2 == 0)


def check_refine(pack, run_dir, out):
    """The refiner trains, resumes, starts as closed-form exactly and exports a 7-plane card that names its base."""
    import torch
    sys.path.insert(0, HERE)
    from export import load_checkpoint
    common = ["--run", run_dir, "--pack", pack, "--width", "4", "--threads", "1", "--batch", "4", "--crop", "32",
              "--samples", "8", "--select", "synthetic"]
    run("training/train_refine.py", *common, "--epochs", "1")
    run("training/train_refine.py", *common, "--epochs", "2", "--resume")
    log = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
    assert any(r.get("event") == "resume" for r in log), "refiner resume did not continue"
    assert max(r.get("epoch", 0) for r in log if "loss" in r) == 2
    from models import Refiner
    fresh = Refiner(width=4).eval()
    x = torch.rand(1, 7, 32, 32)
    with torch.no_grad():
        assert float((fresh(x) - x[:, 6:7]).abs().max()) < 1e-6, "an untrained refiner must return closed-form's alpha"
    model, ck = load_checkpoint(os.path.join(run_dir, "best.pt"))
    assert ck["task"] == "trimap-refine" and "terms" in ck["training"], ck["training"]
    run("training/export.py", "--checkpoint", os.path.join(run_dir, "best.pt"), "--out", out, "--max-side", "256")
    card = json.load(open(out + ".json"))
    assert card["input"]["base_alpha"] == "closed-form" and card["input"]["channels"] == 7, card["input"]
    assert card["task"] == "trimap-matting" and "research only" in card["training"]["terms"]


def main():
    rng = np.random.default_rng(0)
    check_segmix_sizes(rng)
    tmp = tempfile.mkdtemp(prefix="training-smoke-")
    try:
        pack = os.path.join(tmp, "pack")
        make_pack(pack, rng)
        seg, mnet = os.path.join(tmp, "seg"), os.path.join(tmp, "mnet")
        common = ["--pack", pack, "--width", "4", "--threads", "1", "--batch", "4"]
        run("training/train_seg.py", "--run", seg, "--size", "64", "--epochs", "1", "--val-count", "4", *common)
        run("training/train_seg.py", "--run", seg, "--size", "64", "--epochs", "2", "--val-count", "4", "--resume",
            *common)
        run("training/train_mnet.py", "--run", mnet, "--size", "64", "--epochs", "1", "--samples", "8",
            "--val-samples", "4", *common)
        # fine-tuning: a fresh run that starts from the mnet weights, with wide trimap bands
        mnet_ft = os.path.join(tmp, "mnet-ft")
        run("training/train_mnet.py", "--run", mnet_ft, "--size", "64", "--epochs", "1", "--samples", "8",
            "--val-samples", "4", "--band-max", "20", "--init", os.path.join(mnet, "last.pt"), *common)
        # the prior branch grown onto the plain network's weights (--init zero-pads the new input channels)
        mnet_prior = os.path.join(tmp, "mnet-prior")
        run("training/train_mnet.py", "--run", mnet_prior, "--size", "64", "--epochs", "1", "--samples", "8",
            "--val-samples", "4", "--prior", "--init", os.path.join(mnet, "last.pt"), *common)
        init = [r for r in map(json.loads, open(os.path.join(mnet_prior, "log.jsonl"))) if r.get("event") == "init"]
        assert init and "enc.0.0.0.weight" in init[0]["grown"], "prior branch weights were not grown: %s" % init
        log = [json.loads(l) for l in open(os.path.join(seg, "log.jsonl"))]
        assert any(r.get("event") == "resume" and r["epoch"] == 1 for r in log), "resume did not continue"
        assert max(r.get("epoch", 0) for r in log if "loss" in r) == 2
        log = [json.loads(l) for l in open(os.path.join(mnet_ft, "log.jsonl"))]
        assert any(r.get("event") == "init" for r in log), "--init did not load the weights"
        check_widen(os.path.join(seg, "best.pt"), os.path.join(tmp, "seg-wide.pt"))
        run("training/train_seg.py", "--run", os.path.join(tmp, "seg-wide"), "--size", "64", "--epochs", "1",
            "--val-count", "4", "--pack", pack, "--width", "8", "--threads", "1", "--batch", "4",
            "--init", os.path.join(tmp, "seg-wide.pt"))
        check_freeze_bn(pack, os.path.join(seg, "best.pt"), os.path.join(tmp, "seg-frozen"))
        check_time_budget(pack, os.path.join(tmp, "seg-budget"))
        check_compact_pack(pack, os.path.join(tmp, "compact"), os.path.join(tmp, "mnet-compact"))
        run("training/export.py", "--checkpoint", os.path.join(seg, "best.pt"), "--out", os.path.join(tmp, "seg-m"),
            "--metrics", '{"smoke": 1}', "--flip-average")
        run("training/export.py", "--checkpoint", os.path.join(mnet, "best.pt"), "--out",
            os.path.join(tmp, "mnet-m"), "--max-side", "256")
        run("training/export.py", "--checkpoint", os.path.join(mnet_prior, "best.pt"), "--out",
            os.path.join(tmp, "mnet-prior-m"), "--max-side", "256")
        check_card(os.path.join(tmp, "mnet-prior-m"), "trimap-matting", 6)
        onnx_runtime_check(os.path.join(tmp, "mnet-prior-m"))
        check_card(os.path.join(tmp, "seg-m"), "segmentation", 3)
        check_card(os.path.join(tmp, "mnet-m"), "trimap-matting", 6)
        make_refine_pack(os.path.join(tmp, "refine-pack"), rng)
        check_refine(os.path.join(tmp, "refine-pack"), os.path.join(tmp, "refine"), os.path.join(tmp, "refine-m"))
        onnx_runtime_check(os.path.join(tmp, "refine-m"))
        onnx_runtime_check(os.path.join(tmp, "seg-m"))
        onnx_runtime_check(os.path.join(tmp, "mnet-m"))
        print("SMOKE TEST PASSED")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
