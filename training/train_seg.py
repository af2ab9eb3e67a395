"""Train the person segmentation U-Net (BCE + Dice).

Default: portraits/train.txt only (portrait-unet 1.x/2.x). ``--mix`` (v3): portraits with soft edge targets,
fullbody/train.txt and multi-person composites in portrait and landscape frames (segmix.py); add ``--context`` for
the bottleneck's whole-frame context block.

Validation (model selection) uses a seeded held-out slice of train.txt (and with --mix also fullbody/val.txt),
evaluated exactly like inference: long side resized to the working size, padded to a multiple of 32. test.txt is
only touched by evaluate.py.

  nohup setsid nice -n 10 /usr/bin/python3 training/train_seg.py --run training/runs/seg > training/runs/seg.out 2>&1 &
  /usr/bin/python3 training/train_seg.py --run training/runs/seg --resume      # continue
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Run, add_run_args  # noqa: E402
from data import PACK, PortraitSeg, load_pack  # noqa: E402
from models import UNet, count_parameters  # noqa: E402
from segmix import LetterboxSet, SegMix, pack_name  # noqa: E402


def dice_loss(logits, target, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * target).sum(dim=(1, 2, 3))
    return (1 - (2 * inter + eps) / (p.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3)) + eps)).mean()


def iou_per_image(prob, target):
    pred = prob > 0.5
    t = target > 0.5
    inter = (pred & t).flatten(1).sum(1).float()
    union = (pred | t).flatten(1).sum(1).float()
    return torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union))


@torch.no_grad()
def validate(model, loader, device):
    model.eval()
    ious = []
    for x, m in loader:
        prob = model(x.to(device))
        ious.append(iou_per_image(prob, m.to(device)).cpu())
    return float(torch.cat(ious).mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(ap, "training/runs/seg", PACK)
    ap.add_argument("--width", type=int, default=8, help="UNet width multiplier (8: 0.5M params, 16: 2.0M)")
    ap.add_argument("--size", type=int, default=192, help="working size: long side of the network input")
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--val-count", type=int, default=100)
    ap.add_argument("--limit", type=int, default=0, help="use only this many training images (smoke tests)")
    ap.add_argument("--fusion", type=float, default=0.35, help="share of samples pasted onto a new background")
    ap.add_argument("--mix", action="store_true", help="v3 data: portraits + fullbody + composites (segmix.py)")
    ap.add_argument("--context", action="store_true", help="add the bottleneck's GlobalContext block")
    ap.add_argument("--steps", type=int, default=100, help="--mix: batches per epoch (samples are generated)")
    ap.add_argument("--sizes", default="", help="--mix: comma-separated long sides the batches cycle through "
                    "(default: --size); e.g. 320,480 trains the first pass and the scene pass together")
    ap.add_argument("--fullbody-size", type=int, default=0, help="--mix: long side fullbody/val.txt is selected at "
                    "(default: --size; the app's scene pass runs at 480)")
    ap.add_argument("--fullbody-holdout", type=int, default=0, help="--mix: hold this many fullbody/train.txt photos "
                    "out of training (a fixed seeded draw, the same for every run) and select on them; val.txt is then "
                    "only reported")
    ap.add_argument("--freeze-bn", action="store_true", help="keep BatchNorm statistics (and affine terms) as loaded: "
                    "a fine-tune that only moves the convolutions")
    ap.add_argument("--fullbody-height", type=int, default=384, help="--mix: the seg3 pack variant to read "
                    "(segmix.py --fullbody-height)")
    args = ap.parse_args()
    run = Run(args)
    device, log = run.device, run.log

    pack = load_pack("portraits", args.pack)
    backgrounds = load_pack("composites", args.pack)["backgrounds"]
    images, masks = pack["train_images"], pack["train_masks"]
    perm = np.random.default_rng(args.seed).permutation(len(images))
    val_idx, train_idx = perm[:args.val_count], perm[args.val_count:]
    if args.limit:
        train_idx = train_idx[:args.limit]
    # network input: portrait 3:4 at long side `size`; width padded up to a multiple of 32
    out_h = int(math.ceil(args.size / 32) * 32)
    out_w = int(math.ceil(args.size * 3 / 4 / 32) * 32)
    train_ds = PortraitSeg(images, masks, train_idx, out_w, out_h, augment=True, backgrounds=backgrounds,
                           fusion=args.fusion, seed=args.seed)
    val_ds = PortraitSeg(images, masks, val_idx, out_w, out_h, augment=False)
    train_dl, val_dl, g = run.loaders(train_ds, val_ds, args.batch)
    val_sets = {"portraits": val_dl}
    if args.mix:
        seg3 = load_pack(pack_name(args.fullbody_height), args.pack)
        sizes = [int(v) for v in args.sizes.split(",")] if args.sizes else None
        fb_size = args.fullbody_size or args.size
        fb_all = np.random.default_rng(12345).permutation(len(seg3["fb_train_images"]))
        fb_held, fb_train = fb_all[:args.fullbody_holdout], np.sort(fb_all[args.fullbody_holdout:])
        mix = SegMix(pack, seg3, load_pack("composites", args.pack), train_idx, size=args.size, seed=args.seed,
                     sizes=sizes, fullbody_idx=fb_train if args.fullbody_holdout else None)
        train_dl = MixBatches(mix, args.steps, args.batch)
        val_sets["fullbody"] = torch.utils.data.DataLoader(
            LetterboxSet(seg3["fb_val_images"], seg3["fb_val_masks"], fb_size), batch_size=16)
        if args.fullbody_holdout:
            val_sets["fullbody_heldout"] = torch.utils.data.DataLoader(
                LetterboxSet(seg3["fb_train_images"][fb_held], seg3["fb_train_masks"][fb_held], fb_size), batch_size=16)
        val_sets["portraits"] = torch.utils.data.DataLoader(
            LetterboxSet(images[val_idx], masks[val_idx], args.size), batch_size=16)

    model = UNet(width=args.width, context=args.context).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = len(train_dl)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch,
                                                pct_start=0.05)
    start_epoch, best = run.restore(model, opt, sched, g, args.epochs * steps_per_epoch, -1.0)
    log.write(event="start", params=count_parameters(model), width=args.width, input=[out_w, out_h],
              train=len(train_idx), val=len(val_idx), device=str(device), threads=args.threads)
    training_info = {
        "data": ["portraits (Shen et al. 2016) train.txt, %d images, %d held out for selection"
                 % (len(train_idx), len(val_idx)), "backgrounds/ (background fusion)"],
        "terms": "portraits: academic research use only, not for redistribution; these weights derive from "
                 "research-only data",
        "context": args.context,
        **({"data": [
            "portraits (Shen et al. 2016) train.txt, %d images (%d held out for selection), target edges from "
            "pseudo-alpha/portraits (teacher soft alpha of Robust Video Matting; its GPL-3.0 weights are not shipped, "
            "only its outputs were used as training targets)" % (len(train_idx), len(val_idx)),
            "fullbody/ (Clothing Co-Parsing, Yang et al. 2014) train.txt, 904 street photos; val.txt for selection only",
            "composites made on the fly: 1-3 people from portraits/, fullbody/ and cutouts/ at 15-100 % of the frame "
            "height over backgrounds/, portrait and landscape frames"],
            "terms": "portraits and fullbody photos: research use only, not for redistribution; cutouts: provenance "
                     "unclear (training only); backgrounds: as in shared/data/licenses; these weights derive from "
                     "research-only data"} if args.mix else {}),
        "input_size": args.size,
    }
    planned = args.epochs
    for epoch in range(start_epoch, args.epochs):
        if epoch >= planned:
            break
        model.train()
        if args.freeze_bn:
            for mod in model.modules():
                if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm):
                    mod.eval()
                    for p in mod.parameters():
                        p.requires_grad_(False)
        train_ds.epoch = train_dl.epoch = epoch
        total, n, t0 = 0.0, 0, time.time()
        for x, m in train_dl:
            x, m = x.to(device), m.to(device)
            logits = model.logits(x)
            loss = F.binary_cross_entropy_with_logits(logits, m) + dice_loss(logits, m)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(x)
            n += len(x)
        scores = {k: validate(model, dl, device) for k, dl in val_sets.items()}
        # mixed runs select on the mean of portraits and full bodies (the held-out train photos when there are any)
        chosen = [k for k in scores if not (args.fullbody_holdout and k == "fullbody")]
        miou = sum(scores[k] for k in chosen) / len(chosen)
        improved = miou > best
        best = max(best, miou)
        info = dict(training_info, epochs=epoch + 1,
                    notes="UNet width %d, BCE+Dice, AdamW one-cycle lr %g, batch %d, %d of %d planned epochs"
                          % (args.width, args.lr, args.batch, epoch + 1, planned))
        state = dict(model=model.state_dict(), optimizer=opt.state_dict(), scheduler=sched.state_dict(),
                     generator=g.get_state(), epoch=epoch + 1, best=best, task="segmentation", width=args.width,
                     context=args.context, training=info,
                     metrics=dict({"val_miou_heldout_train": round(scores["portraits"], 4)},
                                  **({"val_iou_fullbody": round(scores["fullbody"], 4)} if "fullbody" in scores
                                     else {})), args=vars(args))
        run.save(improved, **state)
        log.write(epoch=epoch + 1, loss=round(total / max(1, n), 4), val_miou=round(miou, 4), best=round(best, 4),
                  **{"val_" + k: round(v, 4) for k, v in scores.items()},
                  lr=sched.get_last_lr()[0], epoch_s=round(time.time() - t0, 1))
        if run.out_of_time(epoch + 1):
            break
        planned = run.fit_to_time(sched, epoch + 1, planned, steps_per_epoch, time.time() - t0)


class MixBatches:
    """``--mix`` batches as an iterable of ``steps`` batches per epoch (SegMix makes them, seeded by epoch/step)."""

    def __init__(self, mix, steps, batch):
        self.mix, self.steps, self.batch, self.epoch = mix, steps, batch, 0

    def __len__(self):
        return self.steps

    def __iter__(self):
        for step in range(self.steps):
            yield self.mix.batch(self.epoch, step, self.batch)


if __name__ == "__main__":
    main()
