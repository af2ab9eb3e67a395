"""Evaluate checkpoints the way the app runs them.

  # segmentation: mIoU on portraits/test.txt at the working size, plus PyTorch CPU time per image
  /usr/bin/python3 training/evaluate.py seg --checkpoint training/runs/seg/best.pt --size 160
  # the same on fullbody/val.txt (whole bodies; what segmentation v3 adds)
  /usr/bin/python3 training/evaluate.py seg --set fullbody --checkpoint training/runs/seg3/best.pt --size 256 --flip
  # the app's scene pass: 480 px, flip, small people again on their box, colours settling the unsure pixels (GrabCut)
  /usr/bin/python3 training/evaluate.py seg --set fullbody --checkpoint models/checkpoints/person-unet.pt --size 480 --flip --zoom --colour-refine
  /usr/bin/python3 training/evaluate.py seg --dir /tmp/scenes --checkpoint models/checkpoints/person-unet.pt --size 480 --flip --zoom --colour-refine
  # matting: SAD/MSE over the unknown region of alphamatting.com trimap1/trimap2 (evaluation only, never training)
  /usr/bin/python3 training/evaluate.py mnet --checkpoint training/runs/mnet/best.pt

Segmentation: the image is resized (aspect kept) so its long side == size, padded (edge replication) to a multiple
of 32, the probability is cropped back, resized to the original resolution and thresholded at 0.5. With --flip the
mirrored image is run too (same padding) and the two maps are averaged, as the app does for a card with
inference.flip_average. Reported:
"miou" = mean over images of the person IoU (the portrait-segmentation convention of Shen et al.), and
"miou_2class" = mean over images of (person IoU + background IoU) / 2.
Matting: full resolution padded to a multiple of 32; known trimap pixels are taken from the trimap;
SAD = sum |da| / 1000 and MSE = mean da^2, both over the trimap's unknown pixels; mean over the 27 images.
"""
import argparse
import json
import math
import os
import sys
import time

import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import default_shared, normalise, read_ids  # noqa: E402
from export import load_checkpoint  # noqa: E402


def pad32(x, mode=cv2.BORDER_REPLICATE):
    h, w = x.shape[:2]
    H, W = int(math.ceil(h / 32) * 32), int(math.ceil(w / 32) * 32)
    return cv2.copyMakeBorder(x, 0, H - h, 0, W - w, mode)


def predict(model, img, size, flip):
    """Person probability at the image's resolution, run as the app runs a segmentation card."""
    H, W = img.shape[:2]
    s = size / max(H, W)
    w, h = max(1, round(W * s)), max(1, round(H * s))
    small = cv2.resize(np.ascontiguousarray(img), (w, h), interpolation=cv2.INTER_AREA)
    # flip: the mirrored image is padded on the right too and goes in as a second batch item, as in the app
    batch = [small, np.ascontiguousarray(small[:, ::-1])] if flip else [small]
    xt = torch.from_numpy(np.stack([normalise(pad32(b)) for b in batch]))
    out = model(xt)[:, 0, :h, :w].numpy()
    prob = (out[0] + out[1][:, ::-1]) / 2 if flip else out[0]
    return cv2.resize(prob, (W, H), interpolation=cv2.INTER_LINEAR)


def refine_crop(model, img, prob, size, flip, max_share=0.5, margin=0.12):
    """Second pass on the people's bounding box when they fill less than ``max_share`` of the frame: there the
    network sees them at a larger scale (a standing person in a landscape photo is ~60 px tall at 256)."""
    H, W = prob.shape
    ys, xs = np.nonzero(prob > 0.5)
    if len(ys) == 0:
        return prob
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    if (y1 - y0) * (x1 - x0) > max_share * H * W:
        return prob
    my, mx = int((y1 - y0) * margin) + 2, int((x1 - x0) * margin) + 2
    y0, y1, x0, x1 = max(0, y0 - my), min(H, y1 + my), max(0, x0 - mx), min(W, x1 + mx)
    out = prob.copy()
    out[y0:y1, x0:x1] = predict(model, img[y0:y1, x0:x1], size, flip)
    return out


def zoom_boxes(prob, max_area=0.7, margin=0.2, min_component=0.02, max_passes=4):
    """The app's ZoomSegmenter boxes: one per 8-connected blob of prob > 0.5 (at least min_component of the largest
    blob, 16 px), grown by margin of its longer side + 8 px, overlapping boxes merged, those under max_area of the
    frame kept, largest first. Boxes are [x0, y0, x1, y1)."""
    h, w = prob.shape
    n, _, st, _ = cv2.connectedComponentsWithStats((prob > 0.5).astype(np.uint8), connectivity=8)
    if n <= 1:
        return []
    largest = st[1:, cv2.CC_STAT_AREA].max()
    bx = []
    for i in range(1, n):
        if st[i, cv2.CC_STAT_AREA] < max(min_component * largest, 16):
            continue
        x, y, bw, bh = st[i, :4]
        m = int(margin * max(bw, bh)) + 8
        bx.append([max(0, x - m), max(0, y - m), min(w, x + bw + m), min(h, y + bh + m)])
    merged = True
    while merged:
        merged = False
        for i in range(len(bx)):
            for j in range(i + 1, len(bx)):
                a, b = bx[i], bx[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    bx[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del bx[j]
                    merged = True
                    break
            if merged:
                break
    keep = [b for b in bx if (b[2] - b[0]) * (b[3] - b[1]) < max_area * h * w]
    keep.sort(key=lambda b: -(b[2] - b[0]) * (b[3] - b[1]))
    return keep[:max_passes]


def zoom_pass(model, img, prob, size, flip, max_area=0.7, margin=0.2, min_component=0.02):
    """The app's ZoomSegmenter: each small box of people (zoom_boxes) is segmented again and replaces the mask there."""
    out = prob.copy()
    for x0, y0, x1, y1 in zoom_boxes(prob, max_area, margin, min_component):
        out[y0:y1, x0:x1] = predict(model, np.ascontiguousarray(img[y0:y1, x0:x1]), size, flip)
    return out


def colour_refine(img_rgb, prob, low=0.15, high=0.95, iterations=3, max_side=480):
    """The app's ColourRefinedSegmenter: GrabCut learns colours from the sure pixels (>= high / <= low) and decides the
    unsure ones on a copy of at most max_side; where it takes the other side, p -> 1 - p (the mask stays soft)."""
    h, w = prob.shape
    s = min(1.0, max_side / max(h, w))
    ws, hs = max(1, round(w * s)), max(1, round(h * s))
    ps = cv2.resize(prob, (ws, hs), interpolation=cv2.INTER_AREA) if s < 1 else prob
    ims = cv2.resize(img_rgb, (ws, hs), interpolation=cv2.INTER_AREA) if s < 1 else img_rgb
    lab = np.where(ps >= high, cv2.GC_FGD, np.where(ps <= low, cv2.GC_BGD,
                   np.where(ps > 0.5, cv2.GC_PR_FGD, cv2.GC_PR_BGD))).astype(np.uint8)
    if not ((lab == cv2.GC_FGD).any() and (lab == cv2.GC_BGD).any() and (lab >= 2).any()):
        return prob
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0x5eed)  # GrabCut's k-means start; the app fixes it too
    cv2.grabCut(np.ascontiguousarray(ims), lab, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    q = (lab & 1).astype(np.float32)
    if s < 1:
        q = cv2.resize(q, (w, h), interpolation=cv2.INTER_LINEAR)
    person = q > 0.5
    flip = (prob > low) & (prob < high) & (person != (prob > 0.5))
    return np.where(flip, 1 - prob, prob)


@torch.no_grad()
def eval_seg(model, shared, size, limit=0, flip=False, folder="portraits", split="test.txt", two_pass=False,
             refine=None, every=1, zoom=None):
    por = os.path.join(shared, folder)
    ids = read_ids(os.path.join(por, split))[::every]
    if limit:
        ids = ids[:limit]
    ious, ious2, t_all = [], [], []
    for k in ids:
        img = cv2.imread(os.path.join(por, "images", k + ".jpg"), cv2.IMREAD_COLOR)[:, :, ::-1]
        assert img is not None, k
        gt = cv2.imread(os.path.join(por, "masks", k + ".png"), cv2.IMREAD_GRAYSCALE) > 127
        t0 = time.perf_counter()
        prob = predict(model, img, size, flip)
        if two_pass:
            prob = refine_crop(model, img, prob, size, flip)
        if zoom:
            prob = zoom_pass(model, img, prob, size, flip, *zoom)
        if refine:
            prob = colour_refine(np.ascontiguousarray(img), prob.astype(np.float32), *refine)
        pred = prob > 0.5
        t3 = time.perf_counter()
        t_all.append(t3 - t0)
        inter, union = (pred & gt).sum(), (pred | gt).sum()
        iou = inter / union if union else 1.0
        binter, bunion = (~pred & ~gt).sum(), (~pred | ~gt).sum()
        ious.append(iou)
        ious2.append((iou + (binter / bunion if bunion else 1.0)) / 2)
    return {"test_miou": round(float(np.mean(ious)), 4), "test_miou_2class": round(float(np.mean(ious2)), 4),
            "test_images": len(ids), "test_set": "%s/%s" % (folder, split), "working_size": size,
            "flip_average": flip,
            "two_pass": two_pass, "colour_refine": list(refine) if refine else None, "zoom": list(zoom) if zoom else None,
            "pytorch_cpu_ms_per_image_total": round(1000 * float(np.median(t_all)), 1),
            "cpu_threads": torch.get_num_threads()}


@torch.no_grad()
def eval_mnet(model, shared, limit=0, closed_form=None):
    """SAD/MSE on alphamatting trimap1/trimap2. closed_form: a folder with trimap1/ and trimap2/ of the app's
    closed-form alphas (NAME-alpha.png, `matte --trimap`), the refiner's seventh input channel."""
    am = os.path.join(shared, "alphamatting")
    names = sorted(f for f in os.listdir(os.path.join(am, "input")) if f.endswith(".png"))
    if limit:
        names = names[:limit]
    out = {}
    for tri_set in ("trimap1", "trimap2"):
        sads, mses, times = [], [], []
        for name in names:
            img = cv2.imread(os.path.join(am, "input", name), cv2.IMREAD_COLOR)[:, :, ::-1]
            gt = cv2.imread(os.path.join(am, "gt", name), cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255
            tri = cv2.imread(os.path.join(am, tri_set, name), cv2.IMREAD_GRAYSCALE)
            tri = np.where(tri < 64, 0, np.where(tri > 191, 255, 128)).astype(np.uint8)
            H, W = tri.shape
            t0 = time.perf_counter()
            x = np.concatenate([normalise(pad32(np.ascontiguousarray(img))),
                                np.stack([pad32(((tri == v) * 1.0).astype(np.float32), cv2.BORDER_CONSTANT)
                                          for v in (0, 128, 255)])], 0)
            # padding is background in the one-hot, matching the app's padding of known pixels
            x[3, H:, :] = 1
            x[3, :, W:] = 1
            if closed_form:
                cf = cv2.imread(os.path.join(closed_form, tri_set, name[:-4] + "-alpha.png"), cv2.IMREAD_GRAYSCALE)
                if cf is None or cf.shape != tri.shape:
                    raise SystemExit("no closed-form alpha of %s/%s in %s" % (tri_set, name, closed_form))
                x = np.concatenate([x, pad32(cf.astype(np.float32) / 255, cv2.BORDER_CONSTANT)[None]], 0)
            alpha = model(torch.from_numpy(x)[None])[0, 0, :H, :W].numpy()
            times.append(time.perf_counter() - t0)
            alpha = np.where(tri == 128, alpha, tri / 255.0)
            unk = tri == 128
            d = (alpha - gt)[unk]
            sads.append(np.abs(d).sum() / 1000)
            mses.append(float((d ** 2).mean()) if d.size else 0.0)
        out[tri_set] = {"sad": round(float(np.mean(sads)), 2), "mse": round(float(np.mean(mses)), 5),
                        "images": len(names), "pytorch_cpu_s_per_image": round(float(np.median(times)), 2)}
    return {"alphamatting": out}


@torch.no_grad()
def eval_mnet_synthetic(model, size, band_max, seed):
    """The validation composites of a train_mnet.py run with the same --size/--band-max/--seed."""
    from data import Composites, load_pack, split_composite_sources
    from train_mnet import validate
    src = split_composite_sources(load_pack("composites"), seed=seed)
    (_, bg_va), (_, cut_va) = src["backgrounds"], src["cutouts"]
    val = Composites(bg_va, cut_va, 64, size, seed=10_000 + seed, fixed=True, band_max=band_max or max(4, size // 10))
    sad, mse = validate(model, torch.utils.data.DataLoader(val, batch_size=16), torch.device("cpu"))
    return {"val_synthetic_sad": round(sad, 4), "val_synthetic_mse": round(mse, 5), "size": size,
            "band_max": band_max or max(4, size // 10)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["seg", "mnet", "mnet-val", "refine"],
                    help="mnet-val: SAD/MSE on the fixed synthetic validation composites (held-out backgrounds and "
                         "cut-outs; what train_mnet.py selects on) at --size/--band-max, to compare checkpoints")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--size", type=int, default=0, help="seg working size (default: the checkpoint's input size)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--flip", action="store_true", help="seg: average with the mirrored image (card flip_average)")
    ap.add_argument("--two-pass", action="store_true", help="seg: second pass on the people's box (refine_crop)")
    ap.add_argument("--set", default="portraits", choices=["portraits", "fullbody", "fullbody-train9"],
                    help="seg: portraits/test.txt, fullbody/val.txt or every 9th of fullbody/train.txt (first 100, "
                         "the slice the colour refinement was chosen on; both: images/ID.jpg, masks/ID.png)")
    ap.add_argument("--zoom", metavar="MAX_AREA,MARGIN,MIN_COMPONENT", nargs="?", const="0.7,0.2,0.02",
                    help="seg: segment small boxes of people again, as the app's scene pass (default 0.7,0.2,0.02)")
    ap.add_argument("--dir", help="seg: another images/ masks/ test.txt folder (e.g. training/make_scenes.py --out)")
    ap.add_argument("--colour-refine", metavar="LOW,HIGH,ITER,SIDE", nargs="?", const="0.15,0.95,3,480",
                    help="seg: settle the unsure pixels by GrabCut as the app's scene pass does (default 0.15,0.95,3,480)")
    ap.add_argument("--band-max", type=int, default=0, help="mnet-val: widest trimap erosion/dilation (default size/10)")
    ap.add_argument("--seed", type=int, default=1, help="mnet-val: the training run's --seed (fixes the split)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--closed-form", metavar="DIR",
                    help="refine: DIR/trimap1, DIR/trimap2 with the app's closed-form alphas of alphamatting "
                         "(`matte INPUT --trimap TRIMAPS -o DIR/trimapN --no-cutout`)")
    ap.add_argument("--json", help="also write the metrics to this file (for export.py --metrics)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.what != "mnet-val" and (not args.shared or not os.path.isdir(args.shared)):
        raise SystemExit("shared data not found (pass --shared ../shared/data); nothing evaluated")
    model, ck = load_checkpoint(args.checkpoint)
    if args.what == "seg":
        refine = None
        if args.colour_refine:
            lo, hi, it, side = args.colour_refine.split(",")
            refine = (float(lo), float(hi), int(it), int(side))
        where = {"portraits": ("portraits", "test.txt"), "fullbody": ("fullbody", "val.txt"),
                 "fullbody-train9": ("fullbody", "train.txt")}[args.set]
        if args.dir:
            where = (os.path.abspath(args.dir), "test.txt")  # os.path.join keeps an absolute second part
        zoom = tuple(float(v) for v in args.zoom.split(",")) if args.zoom else None
        res = eval_seg(model, args.shared, args.size or ck["training"]["input_size"],
                       args.limit or (100 if args.set == "fullbody-train9" else 0), args.flip, *where,
                       two_pass=args.two_pass, refine=refine, every=9 if args.set == "fullbody-train9" else 1,
                       zoom=zoom)
    elif args.what == "mnet":
        res = eval_mnet(model, args.shared, args.limit)
    elif args.what == "refine":
        if not args.closed_form:
            raise SystemExit("refine needs --closed-form DIR (the app's closed-form alphas of alphamatting)")
        res = eval_mnet(model, args.shared, args.limit, args.closed_form)
    else:
        res = eval_mnet_synthetic(model, args.size or 128, args.band_max, args.seed)
    res["checkpoint_epoch"] = ck.get("epoch")
    print(json.dumps(res, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
