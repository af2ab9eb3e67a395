"""Fixed matting samples with the closed-form engine's alpha beside them, for the refiner (`train_refine.py`).

A refiner corrects closed-form's alpha instead of replacing it, so each sample needs that alpha as input. The app's
own engine computes it (`matte --trimap`, Java), once per sample, which is why the samples are drawn once and stored
rather than made on the fly: synthetic composites with exact ground truth (`data.Composites`, held-out backgrounds
and cut-outs for validation) and, with --real, crops of real portraits with the teacher's alpha (`realmat.RealMatting`,
the last 96 ids of train.txt held out). alphamatting/ is never used.

    /work/venv/bin/python training/refine_data.py --real ../shared/data \
        --launcher "java -cp target/classes:$(cat target/cp.txt) studio.matting.Launcher"

Writes OUT/SPLIT/{images,trimaps,alpha}/ (PNG; alpha is the engine's output) and OUT/SPLIT.npz (uint8 arrays: image,
trimap, gt, cf, has_fb). OUT must stay outside git (training/data-pack/ is ignored: the real crops derive from
research-only data). An interrupted run continues: samples already written are kept, and the Java batch skips
images whose alpha exists.
"""
import argparse
import os
import shlex
import subprocess
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import PACK, Composites, load_pack, split_composite_sources  # noqa: E402
from realmat import RealMatting, load_real_portraits  # noqa: E402


def write_split(out, split, sources, launcher):
    """sources: list of (kind, dataset, count, has_fb). Returns the packed arrays' path."""
    d_img, d_tri, d_cf = (os.path.join(out, split, k) for k in ("images", "trimaps", "alpha"))
    for d in (d_img, d_tri, d_cf):
        os.makedirs(d, exist_ok=True)
    names, gts, fbs = [], [], []
    for kind, ds, count, has_fb in sources:
        for i in range(count):
            name = "%s-%05d" % (kind, i)
            arrs = ds.sample_arrays(i)
            img, alpha, tri = arrs[0], arrs[1], arrs[-1]
            p_img = os.path.join(d_img, name + ".png")
            if not os.path.exists(p_img):
                cv2.imwrite(os.path.join(d_tri, name + ".png"), tri)
                cv2.imwrite(p_img + ".tmp.png", np.ascontiguousarray(img[:, :, ::-1]))
                os.replace(p_img + ".tmp.png", p_img)
            names.append(name)
            gts.append(np.clip(np.round(alpha * 255), 0, 255).astype(np.uint8))
            fbs.append(has_fb)
    cmd = "%s matte %s --trimap %s -o %s --no-cutout" % (launcher, shlex.quote(d_img), shlex.quote(d_tri),
                                                         shlex.quote(d_cf))
    print(split, len(names), "samples; closed-form:", cmd, flush=True)
    rc = subprocess.call(cmd, shell=True)
    if rc not in (0, 1):
        sys.exit("matte exited with %d" % rc)
    imgs, tris, cfs = [], [], []
    for n in names:
        cf = cv2.imread(os.path.join(d_cf, n + "-alpha.png"), cv2.IMREAD_GRAYSCALE)
        if cf is None:
            sys.exit("no closed-form alpha for %s/%s: run again" % (split, n))
        imgs.append(cv2.imread(os.path.join(d_img, n + ".png"))[:, :, ::-1])
        tris.append(cv2.imread(os.path.join(d_tri, n + ".png"), cv2.IMREAD_GRAYSCALE))
        cfs.append(cf)
    path = os.path.join(out, split + ".npz")
    np.savez(path + ".tmp.npz", image=np.stack(imgs), trimap=np.stack(tris), gt=np.stack(gts), cf=np.stack(cfs),
             has_fb=np.array(fbs, np.uint8), names=np.array(names))
    os.replace(path + ".tmp.npz", path)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(PACK, "refine"))
    ap.add_argument("--pack", default=PACK)
    ap.add_argument("--launcher", required=True, help="command that runs the app's CLI")
    ap.add_argument("--real", metavar="SHARED", help="shared/data folder: add real portrait crops (teacher alpha)")
    ap.add_argument("--size", type=int, default=320)
    ap.add_argument("--band-max", type=int, default=80)
    ap.add_argument("--real-band-max", type=int, default=48)
    ap.add_argument("--train", type=int, default=3000, help="synthetic training samples")
    ap.add_argument("--train-real", type=int, default=1500)
    ap.add_argument("--val", type=int, default=64)
    ap.add_argument("--seed", type=int, default=21)
    args = ap.parse_args()
    src = split_composite_sources(load_pack("composites", args.pack), seed=0)
    (bg_tr, bg_va), (cut_tr, cut_va) = src["backgrounds"], src["cutouts"]
    syn_tr = Composites(bg_tr, cut_tr, args.train, args.size, seed=args.seed, fixed=True, band_max=args.band_max)
    syn_va = Composites(bg_va, cut_va, args.val, args.size, seed=10_000 + args.seed, fixed=True,
                        band_max=args.band_max)
    train, val = [("syn", syn_tr, args.train, 1)], [("syn", syn_va, args.val, 1)]
    if args.real:
        images, alphas, _ = load_real_portraits(args.real, "train")
        nv = 96
        real_tr = RealMatting(images[:-nv], alphas[:-nv], args.train_real, args.size, seed=args.seed, fixed=True,
                              band_max=args.real_band_max)
        real_va = RealMatting(images[-nv:], alphas[-nv:], args.val, args.size, seed=20_000 + args.seed, fixed=True,
                              band_max=args.real_band_max)
        train.append(("real", real_tr, args.train_real, 0))
        val.append(("real", real_va, args.val, 0))
    for split, sources in (("val", val), ("train", train)):
        print("wrote", write_split(args.out, split, sources, args.launcher), flush=True)


if __name__ == "__main__":
    main()
