"""Train the refiner: a small U-Net that corrects the closed-form engine's alpha (models.Refiner).

Samples come from `refine_data.py` (fixed 320x320 samples with the app's closed-form alpha): synthetic composites
with exact ground truth and, optionally, real portrait crops with the teacher's alpha (weight --real-weight; 0 trains
on the synthetic composites alone). Each step takes a random --crop window of a sample and a horizontal flip. Loss:
L1 of alpha over the trimap's unknown band (known pixels are the trimap's in the app). Selection: the sum of the
held-out synthetic SAD and real SAD, the same two sets MNet v3 is selected on, or with --select synthetic the synthetic
SAD alone (the only set with exact ground truth); closed-form's own SAD on them is logged
at the start, so every epoch says whether the refiner is ahead of the engine it refines. alphamatting/ is never used
here (evaluate.py only).

    nohup setsid /work/venv/bin/python training/train_refine.py --run training/runs/refine --threads 2 \
        --epochs 40 --real-weight 0 --select synthetic > training/runs/refine.out 2>&1 &

(--max-minutes fits the schedule to the time the first epochs took: on a machine that is busy during them it anneals
far too early, so give fixed --epochs on a quiet machine.)
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Run, add_run_args  # noqa: E402
from data import PACK, normalise, trimap_onehot  # noqa: E402
from models import Refiner, count_parameters  # noqa: E402


def inputs(img, tri, cf):
    """7 x H x W float32: normalised RGB, trimap one-hot, closed-form alpha in [0, 1]."""
    return np.concatenate([normalise(img), trimap_onehot(tri), (cf.astype(np.float32) / 255)[None]], axis=0)


class RefineSamples(torch.utils.data.Dataset):
    def __init__(self, npz, length=0, crop=0, seed=0, real_weight=1.0):
        z = np.load(npz)
        self.image, self.trimap, self.gt, self.cf = z["image"], z["trimap"], z["gt"], z["cf"]
        self.has_fb = z["has_fb"]
        self.length = length or len(self.gt)
        self.crop, self.seed, self.epoch, self.real_weight = crop, seed, 0, real_weight
        self.fixed = not length

    def __len__(self):
        return self.length

    def __getitem__(self, i):
        if self.fixed:
            k, sl, flip = i, np.s_[:, :], False
        else:
            rng = np.random.default_rng((self.seed, self.epoch, i))
            k = int(rng.integers(len(self.gt)))
            h, w = self.gt.shape[1:]
            c = self.crop or h
            y0, x0 = int(rng.integers(h - c + 1)), int(rng.integers(w - c + 1))
            sl, flip = np.s_[y0:y0 + c, x0:x0 + c], rng.random() < 0.5
        img, tri, gt, cf = self.image[k][sl], self.trimap[k][sl], self.gt[k][sl], self.cf[k][sl]
        if flip:
            img, tri, gt, cf = img[:, ::-1], tri[:, ::-1], gt[:, ::-1], cf[:, ::-1]
        t = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))  # noqa: E731
        wgt = 1.0 if self.has_fb[k] else self.real_weight
        return (t(inputs(np.ascontiguousarray(img), tri, cf)), t(gt[None] / 255.0), t((tri == 128)[None]),
                torch.tensor([wgt], dtype=torch.float32), torch.tensor([int(self.has_fb[k])]))


@torch.no_grad()
def validate(model, loader):
    """Mean SAD (sum |d alpha| over unknown / 1000) of the refiner and of closed-form, per kind (synthetic, real)."""
    model.eval()
    sums = {"syn": [0.0, 0.0, 0], "real": [0.0, 0.0, 0]}
    for x, a, u, _, fb in loader:
        pred = model(x)
        cf = x[:, 6:7]
        for j in range(len(x)):
            s = sums["syn" if int(fb[j]) else "real"]
            s[0] += float(((pred[j] - a[j]).abs() * u[j]).sum()) / 1000
            s[1] += float(((cf[j] - a[j]).abs() * u[j]).sum()) / 1000
            s[2] += 1
    return {k: (v[0] / max(1, v[2]), v[1] / max(1, v[2])) for k, v in sums.items() if v[2]}


def card_training(args, has_fb, epochs):
    """The card's training block: what the refiner saw and under which terms (export.py calls this as well, so a
    checkpoint saved before this existed still gets a full card). args: the run's arguments as a dict."""
    n_syn, n_real = int(np.sum(has_fb)), int(len(has_fb) - np.sum(has_fb))
    data = ["%d fixed 320x320 synthetic composites (refine_data.py): cutouts/ person cut-outs and procedural alpha "
            "over backgrounds/ photos, exact ground truth, the app's closed-form alpha (matte --trimap) as the "
            "seventh input plane" % n_syn]
    terms = ("cutouts: provenance unclear, training/testing only; backgrounds: Unsplash/Pexels/GPL-2+/unclear as "
             "listed in shared/data/licenses; no alphamatting.com data used in training or selection")
    if n_real:
        real_weight = args.get("real_weight", 1.0)
        data.append("%d crops of real portraits/train.txt with the teacher's soft alpha from pseudo-alpha/portraits "
                    "(%s; the last 96 ids of train.txt held out)"
                    % (n_real, "loss weight %g" % real_weight if real_weight else
                       "loss weight 0: not trained on, only the held-out crops' SAD is reported"))
        terms += ("; portraits/ and pseudo-alpha/portraits/: research only (the teacher's weights are GPL-3.0 and "
                  "not shipped; only its outputs were used as targets)")
    return {"data": data, "terms": terms, "epochs": epochs, "input_size": args.get("crop", 192),
            "notes": "Refiner width %d over closed-form alpha (alpha = closed-form + a clamped correction), %d px "
                     "windows of the samples, L1 of alpha over the unknown band, selected on the %s validation SAD"
                     % (args.get("width", 8), args.get("crop", 192),
                        "synthetic" if args.get("select") == "synthetic" else "synthetic + real")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(ap, "training/runs/refine", os.path.join(PACK, "refine"))
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--crop", type=int, default=192, help="training window (multiple of 32) of the 320 px samples")
    ap.add_argument("--samples", type=int, default=800, help="windows per epoch")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--select", choices=["both", "synthetic"], default="both",
                    help="selection metric: held-out synthetic + real SAD, or the synthetic SAD alone (the only one "
                         "against exact ground truth: the real crops' targets are the teacher's smooth alpha)")
    ap.add_argument("--real-weight", type=float, default=1.0,
                    help="loss weight of the real crops (teacher alpha); 0 = synthetic composites only")
    args = ap.parse_args()
    run = Run(args)
    log = run.log
    train_ds = RefineSamples(os.path.join(args.pack, "train.npz"), args.samples, args.crop, args.seed,
                             args.real_weight)
    val_ds = RefineSamples(os.path.join(args.pack, "val.npz"))
    train_dl, val_dl, g = run.loaders(train_ds, val_ds, args.batch)
    model = Refiner(width=args.width)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * len(train_dl))
    start_epoch, best = run.restore(model, opt, sched, g, args.epochs * len(train_dl), float("inf"))
    if start_epoch == 0:
        v = validate(model, val_dl)
        log.write(event="start", params=count_parameters(model), width=args.width, crop=args.crop,
                  train=len(train_ds.gt), closed_form={k: round(c, 4) for k, (_, c) in v.items()})
    planned = args.epochs
    for epoch in range(start_epoch, args.epochs):
        if epoch >= planned:
            break
        model.train()
        train_ds.epoch = epoch
        total, n, t0 = 0.0, 0, time.time()
        for x, a, u, wgt, _ in train_dl:
            w = u * wgt.view(-1, 1, 1, 1)
            loss = (w * (model.raw(x) - a).abs()).sum() / (w.sum() + 1e-6)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(x)
            n += len(x)
        v = validate(model, val_dl)
        score = v["syn"][0] if args.select == "synthetic" else sum(r for r, _ in v.values())
        improved = score < best
        best = min(best, score)
        metrics = {"val_%s_sad" % k: round(r, 4) for k, (r, _) in v.items()}
        metrics.update({"val_%s_sad_closed_form" % k: round(c, 4) for k, (_, c) in v.items()})
        info = card_training(vars(args), train_ds.has_fb, epoch + 1)
        run.save(improved, model=model.state_dict(), optimizer=opt.state_dict(), scheduler=sched.state_dict(),
                 generator=g.get_state(), epoch=epoch + 1, best=best, task="trimap-refine", width=args.width,
                 training=info, metrics=metrics, args=vars(args))
        log.write(epoch=epoch + 1, loss=round(total / max(1, n), 5), **metrics, best=round(best, 4),
                  lr=sched.get_last_lr()[0], epoch_s=round(time.time() - t0, 1))
        if run.out_of_time(epoch + 1):
            break
        planned = run.fit_to_time(sched, epoch + 1, planned, len(train_dl), time.time() - t0)


if __name__ == "__main__":
    main()
