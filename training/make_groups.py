"""Synthetic group shots of busts, for judging the portrait blend on several people (nothing is written into the repo).

An everyday photo of friends or family is often two or three head-and-shoulders people side by side, cut by the
bottom edge: the bust test passes, and the portrait specialist (trained on single centred selfies) may miss the
people at the sides. Each frame here is a backgrounds/ photo cropped to 3:2 (1200x800) or 4:3 (1024x768) in turn, with
2 or 3 (in turn) portraits/ people cut out by their human masks (portraits/masks, 3x3-blurred, as make_scenes.py
does) standing on the bottom edge at 75-100 % of the frame height, spread across the width with some overlap, later
ones in front. The person mask is the union of the pasted masks (> 0.5).

  # the set the blend's gate was chosen on (train.txt people) and the one it is reported on (test.txt people)
  python training/make_groups.py --split train.txt --offset 500 --seed 21 --out /tmp/groups_tr
  python training/make_groups.py --split test.txt --seed 22 --out /tmp/groups
  java -cp $CP studio.matting.Launcher eval --portraits /tmp/groups    # images/, masks/, test.txt
"""
import argparse
import os

import cv2
import numpy as np

from data import default_shared
from make_scenes import background_frame, close_set, open_set, write_frame


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--split", default="test.txt", help="portraits split whose people are pasted")
    ap.add_argument("--offset", type=int, default=0, help="first id of the split to use")
    ap.add_argument("--count", type=int, default=60, help="frames")
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    sh = a.shared
    por = os.path.join(sh, "portraits")
    ids = [l.strip() for l in open(os.path.join(por, a.split)) if l.strip()][a.offset:]
    bgs = sorted(os.listdir(os.path.join(sh, "backgrounds")))
    rng = np.random.default_rng(a.seed)
    open_set(a.out)
    names, nxt = [], 0
    for i in range(a.count):
        W, H = (1200, 800) if i % 2 == 0 else (1024, 768)
        k = 2 + (i // 2) % 2  # 2, 2, 3, 3, ...
        canvas = background_frame(sh, bgs, rng, W, H)
        mask = np.zeros((H, W), np.float32)
        slot = W / k
        for j in range(k):
            pk = ids[nxt % len(ids)]
            nxt += 1
            img = cv2.imread(os.path.join(por, "images", pk + ".jpg"))
            m = cv2.imread(os.path.join(por, "masks", pk + ".png"), cv2.IMREAD_GRAYSCALE)
            ph = int(H * rng.uniform(0.75, 1.0))
            pw = int(img.shape[1] * ph / img.shape[0])
            img = cv2.resize(img, (pw, ph), interpolation=cv2.INTER_AREA).astype(np.float32)
            m = cv2.resize(m, (pw, ph), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
            al = cv2.GaussianBlur(m, (3, 3), 0)
            cx = int(slot * (j + 0.5) + rng.uniform(-0.15, 0.15) * slot)
            px, py = cx - pw // 2, H - ph
            # clip the bust to the frame (people at the sides may be cut by it, as in a real group shot)
            sx0, sx1 = max(0, -px), min(pw, W - px)
            if sx1 <= sx0:
                continue
            dx0, dx1 = px + sx0, px + sx1
            reg = canvas[py:H, dx0:dx1]
            aa = al[:, sx0:sx1, None]
            canvas[py:H, dx0:dx1] = aa * img[:, sx0:sx1] + (1 - aa) * reg
            mask[py:H, dx0:dx1] = np.maximum(mask[py:H, dx0:dx1], al[:, sx0:sx1])
        name = "g%03d" % i
        write_frame(a.out, name, canvas, mask)
        names.append(name)
    close_set(a.out, names)
    print(len(names), "group shots in", a.out)


if __name__ == "__main__":
    main()
