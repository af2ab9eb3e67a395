"""Sharpen the teacher's soft alpha with the closed-form engine inside a narrow band, for MNet training targets.

The teacher (pseudo-alpha/portraits) is semantically right but smoother than real hair. Here its transition
(2 < alpha < 253 of 255) widened by --radius px becomes the unknown band of a trimap, the rest is foreground where the
teacher says >= 0.5 and background elsewhere, and the app's own closed-form engine (`matte --trimap`, Java) solves the
band from the photo's colours. So the teacher decides *where* the edge is, the photo decides its detail. Outputs go to
OUT/alpha/NNNNN-alpha.png (same size as the photo; `train_mnet.py --real-alpha OUT/alpha` reads them); OUT/trimaps and OUT/images (symlinks into ../shared, nothing copied)
are the inputs. OUT must be outside git (training/data-pack/ is ignored): the targets derive from research-only data.

    /work/venv/bin/python training/sharpen_alpha.py --shared ../shared/data --split train \
        --out training/data-pack/sharp-alpha --launcher "java -cp target/classes:$(cat target/cp.txt) studio.matting.Launcher"

Images whose alpha already exists are skipped by the Java batch (it never overwrites without --overwrite), so an
interrupted run continues where it stopped.
"""
import argparse
import os
import shlex
import subprocess
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import read_ids  # noqa: E402


def band_trimap(a8, radius):
    """0/128/255 trimap: the teacher's transition widened by radius px is unknown; elsewhere its side of 0.5."""
    soft = ((a8 > 2) & (a8 < 253)).astype(np.uint8)
    if radius > 0:
        soft = cv2.dilate(soft, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * radius + 1, 2 * radius + 1)))
    tri = np.where(a8 >= 128, 255, 0).astype(np.uint8)
    tri[soft > 0] = 128
    return tri


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True, help="the shared/data folder")
    ap.add_argument("--split", default="train", help="portraits split (train.txt ids)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--radius", type=int, default=3, help="px the teacher's transition is widened by")
    ap.add_argument("--launcher", help="command that runs the app's CLI (without it the Java command is printed)")
    ap.add_argument("--limit", type=int, default=0, help="first N ids only")
    args = ap.parse_args()
    por = os.path.join(args.shared, "portraits")
    pa = os.path.join(args.shared, "pseudo-alpha", "portraits")
    ids = read_ids(os.path.join(por, args.split + ".txt"))
    if args.limit:
        ids = ids[:args.limit]
    img_dir, tri_dir, out_dir = (os.path.join(args.out, d) for d in ("images", "trimaps", "alpha"))
    for d in (img_dir, tri_dir, out_dir):
        os.makedirs(d, exist_ok=True)
    unknown = []
    for k in ids:
        a8 = cv2.imread(os.path.join(pa, k + ".png"), cv2.IMREAD_GRAYSCALE)
        src = os.path.abspath(os.path.join(por, "images", k + ".jpg"))
        if a8 is None or not os.path.exists(src):
            continue
        tri = band_trimap(a8, args.radius)
        unknown.append(float((tri == 128).mean()))
        cv2.imwrite(os.path.join(tri_dir, k + ".png"), tri)
        link = os.path.join(img_dir, k + ".jpg")
        if not os.path.lexists(link):
            os.symlink(src, link)
    print("%d trimaps, unknown band %.1f %% of the pixels on average" % (len(unknown), 100 * np.mean(unknown)))
    cmd = "%s matte %s --trimap %s -o %s --no-cutout" % (args.launcher or "<launcher>", shlex.quote(img_dir),
                                                         shlex.quote(tri_dir), shlex.quote(out_dir))
    if not args.launcher:
        print("run:", cmd)
        return
    rc = subprocess.call(cmd, shell=True)
    if rc not in (0, 1):
        sys.exit("matte exited with %d" % rc)
    done = sum(os.path.exists(os.path.join(out_dir, k + "-alpha.png")) for k in ids)
    print("%d of %d sharpened alphas in %s" % (done, len(ids), out_dir))


if __name__ == "__main__":
    main()
