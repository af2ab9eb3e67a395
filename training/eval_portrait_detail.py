"""Choose and check the portrait specialist blend (PortraitDetailSegmenter in the app).

  /work/venv/bin/python training/eval_portrait_detail.py \
      --general models/checkpoints/person-unet.pt --specialist models/checkpoints/portrait-unet-w16.pt

Both models run as the app runs them (long side = working size, padded to 32, flip-averaged, probability resized
to the photo). Selection sets: a seeded slice of 150 portraits train.txt images and fullbody val.txt; the report set:
portraits test.txt (never used to choose). For each weight / agreement threshold it prints the mean person IoU of:
the general model's mask, unless its mask crosses >= 30 % of the bottom row and covers >= 10 % of the frame (a bust)
and the specialist's mask agrees with it (IoU >= t) — then (1 - w) * general + w * specialist.
"""
import argparse
import os
import sys

import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import default_shared, read_ids  # noqa: E402
from evaluate import load_checkpoint, predict  # noqa: E402


def iou(p, g):
    u = (p | g).sum()
    return (p & g).sum() / u if u else 1.0


def predictions(general, gsize, specialist, ssize, shared, folder, ids):
    rows = []
    for k in ids:
        img = cv2.imread(os.path.join(shared, folder, "images", k + ".jpg"), cv2.IMREAD_COLOR)
        if img is None:
            continue
        img = img[:, :, ::-1]
        gt = cv2.imread(os.path.join(shared, folder, "masks", k + ".png"), cv2.IMREAD_GRAYSCALE) > 127
        rows.append((predict(general, img, gsize, True), predict(specialist, img, ssize, True), gt))
    return rows


def blended_iou(rows, w, agree, min_bottom=0.3, min_area=0.1):
    ious, used = [], 0
    for a, b, g in rows:
        m = a > 0.5
        p = a
        if m[-1].mean() >= min_bottom and m.mean() >= min_area and iou(m, b > 0.5) >= agree:
            p = (1 - w) * a + w * b
            used += 1
        ious.append(iou(p > 0.5, g))
    return float(np.mean(ious)), used


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--general", required=True)
    ap.add_argument("--specialist", required=True)
    ap.add_argument("--general-size", type=int, default=320)
    ap.add_argument("--specialist-size", type=int, default=160)
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    general, _ = load_checkpoint(args.general)
    specialist, _ = load_checkpoint(args.specialist)
    train_ids = read_ids(os.path.join(args.shared, "portraits", "train.txt"))
    sets = {
        "portraits train slice (select)": ("portraits", [train_ids[j] for j in np.random.default_rng(7).permutation(len(train_ids))[:150]]),
        "fullbody val (select)": ("fullbody", read_ids(os.path.join(args.shared, "fullbody", "val.txt"))),
        "portraits test (report)": ("portraits", read_ids(os.path.join(args.shared, "portraits", "test.txt"))),
    }
    for name, (folder, ids) in sets.items():
        rows = predictions(general, args.general_size, specialist, args.specialist_size, args.shared, folder, ids)
        line = ["general %.4f  specialist %.4f" % (np.mean([iou(a > .5, g) for a, _, g in rows]),
                                                   np.mean([iou(b > .5, g) for _, b, g in rows]))]
        for w in (0.5, 0.7, 0.8):
            for agree in (0.0, 0.5, 0.6, 0.7, 0.8):
                m, used = blended_iou(rows, w, agree)
                line.append("w %.1f agree >= %.1f: %.4f (%d blended)" % (w, agree, m, used))
        print("%s, %d images\n  %s" % (name, len(rows), "\n  ".join(line)), flush=True)


if __name__ == "__main__":
    main()
