"""Synthetic everyday scenes for judging segmentation beyond frame-filling people (nothing is written into the repo).

fullbody/ photos show one standing person who fills the frame; everyday photos often show people small, off centre,
in pairs. Each scene here is a backgrounds/ photo (cropped to a landscape 960x640 or portrait 640x900 frame, in turn)
with 1-2 fullbody/ people cut out by their masks (bounds cropped, 3x3-blurred alpha) at 25-70 % of the frame height,
anywhere across and in the lower part. The person mask of the scene is the union of the pasted masks (> 0.5).

  # the set the zoom pass was chosen on (train.txt people) and the one it is reported on (val.txt people)
  python training/make_scenes.py --split train.txt --offset 4 --every 9 --seed 12 --out /tmp/scenes_tr
  python training/make_scenes.py --split val.txt --seed 11 --out /tmp/scenes
  java -cp $CP studio.matting.Launcher eval --portraits /tmp/scenes    # images/, masks/, test.txt
"""
import argparse
import os

import cv2
import numpy as np

from data import default_shared


def background_frame(sh, bgs, rng, W, H):
    """A W x H float32 crop of a random backgrounds/ photo, scaled to cover the frame (three rng draws)."""
    bg = cv2.imread(os.path.join(sh, "backgrounds", bgs[rng.integers(len(bgs))]))
    bh, bw = bg.shape[:2]
    s = max(W / bw, H / bh)
    bg = cv2.resize(bg, (int(np.ceil(bw * s)), int(np.ceil(bh * s))))
    y0 = rng.integers(0, bg.shape[0] - H + 1)
    x0 = rng.integers(0, bg.shape[1] - W + 1)
    return bg[y0:y0 + H, x0:x0 + W].astype(np.float32)


def open_set(out):
    """Creates OUT/images and OUT/masks (the layout `eval --portraits` reads)."""
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    os.makedirs(os.path.join(out, "masks"), exist_ok=True)


def write_frame(out, name, canvas, mask):
    """OUT/images/NAME.jpg (quality 92) and OUT/masks/NAME.png (mask > 0.5 as 0/255)."""
    cv2.imwrite(os.path.join(out, "images", name + ".jpg"), canvas.clip(0, 255).astype(np.uint8),
                [cv2.IMWRITE_JPEG_QUALITY, 92])
    cv2.imwrite(os.path.join(out, "masks", name + ".png"), ((mask > 0.5) * 255).astype(np.uint8))


def close_set(out, names):
    """OUT/test.txt: the frames' names, one per line."""
    with open(os.path.join(out, "test.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--split", default="val.txt", help="fullbody split whose people are pasted")
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    sh = a.shared
    ids = [l.strip() for l in open(os.path.join(sh, "fullbody", a.split)) if l.strip()][a.offset::a.every][:a.count]
    bgs = sorted(os.listdir(os.path.join(sh, "backgrounds")))
    rng = np.random.default_rng(a.seed)
    open_set(a.out)
    names = []
    for i, k in enumerate(ids):
        W, H = (960, 640) if i % 2 == 0 else (640, 900)
        canvas = background_frame(sh, bgs, rng, W, H)
        mask = np.zeros((H, W), np.float32)
        people = [k] + ([ids[(i * 7 + 3) % len(ids)]] if i % 3 == 0 else [])
        for pk in people:
            img = cv2.imread(os.path.join(sh, "fullbody", "images", pk + ".jpg"))
            m = cv2.imread(os.path.join(sh, "fullbody", "masks", pk + ".png"), cv2.IMREAD_GRAYSCALE)
            ys, xs = np.nonzero(m > 127)
            img = img[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
            m = m[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
            ph = int(H * rng.uniform(0.25, 0.7))
            pw = max(1, int(img.shape[1] * ph / img.shape[0]))
            if pw >= W:
                continue
            img = cv2.resize(img, (pw, ph), interpolation=cv2.INTER_AREA)
            m = cv2.resize(m, (pw, ph), interpolation=cv2.INTER_AREA)
            al = cv2.GaussianBlur(m.astype(np.float32) / 255, (3, 3), 0)
            px = rng.integers(0, W - pw + 1)
            py = rng.integers(max(0, H - ph - H // 3), H - ph + 1)
            reg = canvas[py:py + ph, px:px + pw]
            canvas[py:py + ph, px:px + pw] = al[..., None] * img + (1 - al[..., None]) * reg
            mask[py:py + ph, px:px + pw] = np.maximum(mask[py:py + ph, px:px + pw], al)
        name = "s%03d" % i
        write_frame(a.out, name, canvas, mask)
        names.append(name)
    close_set(a.out, names)
    print(len(names), "scenes in", a.out)


if __name__ == "__main__":
    main()
