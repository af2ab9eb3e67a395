"""Train the trimap matting network (MNet) on synthetic composites (cutouts/ and procedural alpha over
backgrounds/). Loss: alpha L1 over the trimap's unknown band + composition loss (DIM), on the refined and
(half weight) the coarse output. Selection metric: SAD/MSE on fixed synthetic validation composites built from
held-out backgrounds and cutouts. alphamatting/ is never used here (evaluate.py only).

  nohup setsid nice -n 10 /usr/bin/python3 training/train_mnet.py --run training/runs/mnet > training/runs/mnet.out 2>&1 &
  /usr/bin/python3 training/train_mnet.py --run training/runs/mnet --resume
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Run, add_run_args  # noqa: E402
from data import PACK, Composites, load_pack, split_composite_sources  # noqa: E402
from models import MNet, count_parameters  # noqa: E402
from realmat import Mixed, RealMatting, load_alphas, load_real_portraits  # noqa: E402


def matting_loss(alpha, gt, fg, bg, unknown, has_fb=None):
    """Alpha L1 + composition loss; has_fb (N x 1) is 0 for real photos, which have no clean fg/bg."""
    w = unknown + 0.1 * (1 - unknown)  # known pixels matter a little: the raw output is used near band edges
    denom = w.sum() + 1e-6
    l_alpha = (w * (alpha - gt).abs()).sum() / denom
    comp = alpha * fg + (1 - alpha) * bg
    image = gt * fg + (1 - gt) * bg
    wc = w if has_fb is None else w * has_fb.view(-1, 1, 1, 1)
    l_comp = (wc * (comp - image).abs()).sum() / (3 * (wc.sum() + 1e-6))
    return l_alpha + l_comp


@torch.no_grad()
def validate(model, loader, device):
    model.eval()
    sad, mse, n = 0.0, 0.0, 0
    for batch in loader:
        x, a, u = batch[0].to(device), batch[1].to(device), batch[4].to(device)
        pred = model(x)
        tri_fg = x[:, 5:6]
        pred = torch.where(u > 0, pred, tri_fg)  # known pixels composed from the trimap, as the app does
        d = (pred - a) * u
        sad += float(d.abs().flatten(1).sum(1).sum()) / 1000
        mse += float(((d ** 2).flatten(1).sum(1) / u.flatten(1).sum(1).clamp(min=1)).sum())
        n += len(x)
    return sad / n, mse / n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(ap, "training/runs/mnet", PACK)
    ap.add_argument("--width", type=int, default=8, help="MNet width (8: VGG16/8, 0.54M params; 16: VGG16/4)")
    ap.add_argument("--size", type=int, default=128, help="training crop size (multiple of 32)")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--samples", type=int, default=800, help="synthetic samples per epoch")
    ap.add_argument("--val-samples", type=int, default=64)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--max-side", type=int, default=1024, help="card max_side for exported models")
    ap.add_argument("--prior", action="store_true",
                    help="add the known-colour prior branch (models.KnownColourPrior; same 6-channel input)")
    ap.add_argument("--band-max", type=int, default=0,
                    help="widest erosion/dilation (px) for random trimaps; default size/10")
    ap.add_argument("--real", metavar="SHARED",
                    help="shared/data folder: mix real portraits (portraits/train.txt) with the teacher's soft "
                         "alpha (pseudo-alpha/portraits) into training (MNet v3)")
    ap.add_argument("--real-fraction", type=float, default=0.5, help="share of real-portrait samples with --real")
    ap.add_argument("--real-val", type=int, default=96,
                    help="last N ids of portraits train.txt held out for selection (test.txt is only reported)")
    ap.add_argument("--real-band-max", type=int, default=48)
    ap.add_argument("--real-alpha", metavar="DIR",
                    help="training targets for the real portraits from DIR instead of the teacher's pseudo-alpha "
                         "(e.g. sharpen_alpha.py's output); the held-out crops keep the teacher's alpha, so runs with "
                         "and without it are selected on the same targets")
    args = ap.parse_args()
    run = Run(args)
    device, log = run.device, run.log

    src = split_composite_sources(load_pack("composites", args.pack), seed=args.seed)
    (bg_tr, bg_va), (cut_tr, cut_va) = src["backgrounds"], src["cutouts"]
    band_max = args.band_max or max(4, args.size // 10)
    train_ds = Composites(bg_tr, cut_tr, args.samples, args.size, seed=args.seed, band_max=band_max)
    val_ds = Composites(bg_va, cut_va, args.val_samples, args.size, seed=10_000 + args.seed, fixed=True,
                        band_max=band_max)
    real_val_dl = None
    if args.real:
        images, alphas, ids = load_real_portraits(args.real, "train")
        nv = args.real_val
        train_alphas = alphas[:-nv]
        if args.real_alpha:
            train_alphas = load_alphas(args.real_alpha, ids[:-nv], alphas[:-nv])
        real_tr = RealMatting(images[:-nv], train_alphas, args.samples, args.size, seed=args.seed,
                              band_max=args.real_band_max)
        real_va = RealMatting(images[-nv:], alphas[-nv:], 64, args.size, seed=20_000 + args.seed, fixed=True,
                              band_max=args.real_band_max)
        train_ds = Mixed(train_ds, real_tr, args.real_fraction)
        real_val_dl = torch.utils.data.DataLoader(real_va, batch_size=16)
        log.write(event="real portraits", train=len(images) - nv, val=nv, first_val=ids[-nv],
                  targets=args.real_alpha or "pseudo-alpha")
    train_dl, val_dl, g = run.loaders(train_ds, val_ds, args.batch)

    model = MNet(width=args.width, prior=args.prior).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * len(train_dl))
    start_epoch, best = run.restore(model, opt, sched, g, args.epochs * len(train_dl), float("inf"))
    log.write(event="start", params=count_parameters(model), width=args.width, size=args.size,
              train_backgrounds=len(bg_tr), train_cutouts=len(cut_tr), device=str(device), threads=args.threads)
    planned = args.epochs
    for epoch in range(start_epoch, args.epochs):
        if epoch >= planned:
            break
        model.train()
        train_ds.epoch = epoch
        total, n, t0 = 0.0, 0, time.time()
        for batch in train_dl:
            x, a, f, b, u = (t.to(device) for t in batch[:5])
            has_fb = batch[5].to(device) if len(batch) > 5 else None
            coarse, refined = model.forward_both(x)
            loss = matting_loss(refined, a, f, b, u, has_fb) + 0.5 * matting_loss(coarse, a, f, b, u, has_fb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(x)
            n += len(x)
        sad, mse = validate(model, val_dl, device)
        real_sad, real_mse = validate(model, real_val_dl, device) if real_val_dl else (None, None)
        # with real portraits, select on them plus the synthetic set (real photos are the target; the synthetic
        # set keeps exact ground truth in the choice, the teacher's alpha being smoother than real hair)
        score = sad + real_sad if real_val_dl else sad
        improved = score < best
        best = min(best, score)
        info = {
            "data": ["synthetic composites: cutouts/ (%d RGBA person cut-outs) and procedural alpha (soft blobs, "
                     "fractal edges, hair-like strands, semi-transparency) textured with backgrounds/ photos, over "
                     "%d backgrounds/ photos" % (len(cut_tr), len(bg_tr))],
            "terms": "cutouts: provenance unclear, training/testing only; backgrounds: Unsplash/Pexels/GPL-2+/"
                     "unclear as listed in shared/data/licenses; no alphamatting.com data used in training",
            "epochs": epoch + 1, "input_size": args.size,
            "notes": "MNet width %d%s, %dx%d crops, trimap bands 2-%d px, %d samples/epoch, alpha L1 (unknown "
                     "band) + composition loss, %d of %d planned epochs"
                     % (args.width, " with the known-colour prior branch" if args.prior else "", args.size, args.size,
                        band_max, args.samples, epoch + 1, planned),
        }
        metrics = {"val_synthetic_sad": round(sad, 4), "val_synthetic_mse": round(mse, 5),
                   "val_synthetic_note": "%d fixed %dx%d composites from held-out backgrounds/cutouts; SAD = "
                                         "sum |da| over unknown / 1000 per image" % (len(val_ds), args.size,
                                                                                      args.size)}
        if real_val_dl:
            info["data"].append("real portraits: %d of portraits/train.txt with the teacher's soft alpha from "
                                "pseudo-alpha/portraits as the target (alpha loss only; %d%% of the samples; the "
                                "last %d ids of train.txt held out for selection)"
                                % (len(real_tr.images), round(100 * args.real_fraction), args.real_val))
            info["notes"] = info["notes"].replace("trimap bands 2-%d px," % band_max, "trimap bands 2-%d px (real "
                                                  "portraits 2-%d px)," % (band_max, args.real_band_max))
            info["terms"] += ("; portraits/ and pseudo-alpha/portraits/: research only (the teacher's weights are "
                              "GPL-3.0 and not shipped; only its outputs were used as training targets)")
            metrics.update(val_real_sad=round(real_sad, 4), val_real_mse=round(real_mse, 5),
                           val_real_note="64 fixed %dx%d crops of %d held-out train.txt portraits, against the "
                                         "teacher's alpha" % (args.size, args.size, args.real_val))
        state = dict(model=model.state_dict(), optimizer=opt.state_dict(), scheduler=sched.state_dict(),
                     generator=g.get_state(), epoch=epoch + 1, best=best, task="trimap-matting", width=args.width,
                     prior=args.prior,
                     training=info, metrics=metrics, args=vars(args))
        run.save(improved, **state)
        log.write(epoch=epoch + 1, loss=round(total / max(1, n), 4), val_sad=round(sad, 4), val_mse=round(mse, 5),
                  val_real_sad=real_sad and round(real_sad, 4),
                  best_sad=round(best, 4), lr=sched.get_last_lr()[0], epoch_s=round(time.time() - t0, 1))
        if run.out_of_time(epoch + 1):
            break
        planned = run.fit_to_time(sched, epoch + 1, planned, len(train_dl), time.time() - t0)


if __name__ == "__main__":
    main()
