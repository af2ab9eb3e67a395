"""Score a folder of alpha mattes written by `matting-studio matte` against the shared sets.

  /work/venv/bin/python training/score_alpha.py --pred /tmp/out --set portraits [--limit 40] [--scale 2]

For each ID of portraits/test.txt (or fullbody/val.txt with --set fullbody) it reads PRED/ID-alpha.png and reports
person IoU (alpha >= 0.5 against the human mask) and, for portraits, SAD against pseudo-alpha/portraits (the
teacher's soft alpha: a reference for where the soft edge belongs, not ground truth), sum |da| / 1000 over the whole
image at the source resolution. ``--scale`` names the factor the inputs were upscaled by (alpha is resized back).
``--make-inputs DIR`` writes the inputs instead (JPEG q95 copies, upscaled by --scale), to run `matte` on.

Band SAD (the matting step alone, given a good trimap): ``--make-trimaps DIR`` writes the portraits with a trimap
from the teacher's alpha (DIR/images/ID.jpg, DIR/trimaps/ID.png: the sure foreground eroded and the possible foreground dilated by
8-20 px, seeded per ID), to run `matte DIR/images --trimap DIR/trimaps` with each engine; ``--band DIR`` then scores PRED against
pseudo-alpha over those trimaps' unknown pixels only (sum |da| / 1000 per image, as for alphamatting).
"""
import argparse
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import default_shared, read_ids  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--set", default="portraits", choices=["portraits", "fullbody"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--pred", help="folder with ID-alpha.png")
    ap.add_argument("--make-inputs", metavar="DIR")
    ap.add_argument("--make-trimaps", metavar="DIR")
    ap.add_argument("--band", metavar="DIR", help="trimaps from --make-trimaps: SAD over their unknown band")
    args = ap.parse_args()
    folder, split = ("portraits", "test.txt") if args.set == "portraits" else ("fullbody", "val.txt")
    root = os.path.join(args.shared, folder)
    ids = read_ids(os.path.join(root, split))[: args.limit or None]
    if args.make_inputs:
        os.makedirs(args.make_inputs, exist_ok=True)
        for k in ids:
            im = cv2.imread(os.path.join(root, "images", k + ".jpg"), cv2.IMREAD_COLOR)
            if args.scale != 1:
                im = cv2.resize(im, None, fx=args.scale, fy=args.scale, interpolation=cv2.INTER_CUBIC)
            cv2.imwrite(os.path.join(args.make_inputs, k + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 95])
        print("wrote", len(ids), "inputs to", args.make_inputs)
        return
    pseudo = os.path.join(args.shared, "pseudo-alpha", "portraits")
    if args.make_trimaps:
        for sub in ("images", "trimaps"):
            os.makedirs(os.path.join(args.make_trimaps, sub), exist_ok=True)
        for k in ids:
            t = cv2.imread(os.path.join(pseudo, k + ".png"), cv2.IMREAD_GRAYSCALE)
            im = cv2.imread(os.path.join(root, "images", k + ".jpg"), cv2.IMREAD_COLOR)
            rng = np.random.default_rng(int(k))
            k1, k2 = (int(v) for v in rng.integers(8, 21, size=2))
            disc = lambda r: cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))  # noqa: E731
            fg = cv2.erode((t >= 250).astype(np.uint8), disc(k1))
            maybe = cv2.dilate((t > 5).astype(np.uint8), disc(k2))
            tri = np.full(t.shape, 128, np.uint8)
            tri[maybe == 0], tri[fg == 1] = 0, 255
            cv2.imwrite(os.path.join(args.make_trimaps, "images", k + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 95])
            cv2.imwrite(os.path.join(args.make_trimaps, "trimaps", k + ".png"), tri)
        print("wrote", len(ids), "images and trimaps to", args.make_trimaps)
        return
    if args.band:
        sads = []
        for k in ids:
            a = cv2.imread(os.path.join(args.pred, k + "-alpha.png"), cv2.IMREAD_UNCHANGED)
            if a is None:
                continue
            a = a.astype(np.float32) / (65535.0 if a.dtype == np.uint16 else 255.0)
            tri = cv2.imread(os.path.join(args.band, "trimaps", k + ".png"), cv2.IMREAD_GRAYSCALE)
            t = cv2.imread(os.path.join(pseudo, k + ".png"), cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255.0
            unk = tri == 128
            sads.append(np.abs(a - t)[unk].sum() / 1000)
        print("band SAD vs pseudo-alpha over %d images: %.3f" % (len(sads), float(np.mean(sads))))
        return
    ious, sads, missing = [], [], 0
    for k in ids:
        p = os.path.join(args.pred, k + "-alpha.png")
        a = cv2.imread(p, cv2.IMREAD_UNCHANGED)
        if a is None:
            missing += 1
            continue
        a = a.astype(np.float32) / (65535.0 if a.dtype == np.uint16 else 255.0)
        if a.ndim == 3:
            a = a[..., 0]
        gt = cv2.imread(os.path.join(root, "masks", k + ".png"), cv2.IMREAD_GRAYSCALE) > 127
        a = cv2.resize(a, (gt.shape[1], gt.shape[0]), interpolation=cv2.INTER_AREA) if a.shape != gt.shape else a
        pred = a >= 0.5
        union = (pred | gt).sum()
        ious.append((pred & gt).sum() / union if union else 1.0)
        if folder == "portraits":
            t = cv2.imread(os.path.join(args.shared, "pseudo-alpha", "portraits", k + ".png"), cv2.IMREAD_GRAYSCALE)
            if t is not None:
                sads.append(np.abs(a - t.astype(np.float32) / 255.0).sum() / 1000)
    print("set %s/%s  images %d (missing %d)  mean IoU %.4f%s" % (
        folder, split, len(ious), missing, float(np.mean(ious)) if ious else float("nan"),
        "  mean SAD vs pseudo-alpha %.2f" % float(np.mean(sads)) if sads else ""))


if __name__ == "__main__":
    main()
