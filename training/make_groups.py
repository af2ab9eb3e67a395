"""Synthetic group shots of busts, for judging the portrait blend on several people (nothing is written into the repo).

An everyday photo of friends or family is often two or three head-and-shoulders people side by side, cut by the
bottom edge: the bust test passes, and the portrait specialist (trained on single centred selfies) may miss the
people at the sides. Each frame here is a backgrounds/ photo cropped to 3:2 (1200x800) or 4:3 (1024x768) in turn, with
2 or 3 (in turn) portraits/ people cut out by their teacher alpha (pseudo-alpha/portraits) standing on the bottom edge
at 75-100 % of the frame height, spread across the width with some overlap, later ones in front. The person mask is
the union of the pasted people's human masks (portraits/masks, > 0.5 after resizing).

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
    os.makedirs(os.path.join(a.out, "images"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "masks"), exist_ok=True)
    names, nxt = [], 0
    for i in range(a.count):
        W, H = (1200, 800) if i % 2 == 0 else (1024, 768)
        k = 2 + (i // 2) % 2  # 2, 2, 3, 3, ...
        bg = cv2.imread(os.path.join(sh, "backgrounds", bgs[rng.integers(len(bgs))]))
        bh, bw = bg.shape[:2]
        s = max(W / bw, H / bh)
        bg = cv2.resize(bg, (int(np.ceil(bw * s)), int(np.ceil(bh * s))))
        y0 = rng.integers(0, bg.shape[0] - H + 1)
        x0 = rng.integers(0, bg.shape[1] - W + 1)
        canvas = bg[y0:y0 + H, x0:x0 + W].astype(np.float32)
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
        cv2.imwrite(os.path.join(a.out, "images", name + ".jpg"), canvas.clip(0, 255).astype(np.uint8),
                    [cv2.IMWRITE_JPEG_QUALITY, 92])
        cv2.imwrite(os.path.join(a.out, "masks", name + ".png"), ((mask > 0.5) * 255).astype(np.uint8))
        names.append(name)
    with open(os.path.join(a.out, "test.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    print(len(names), "group shots in", a.out)


if __name__ == "__main__":
    main()
