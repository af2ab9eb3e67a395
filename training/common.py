"""Checkpointing, logging and seeding shared by the training scripts."""
import json
import os
import random
import time

import numpy as np
import torch


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_trusted(path, device="cpu"):
    """Our own checkpoints hold the sampler state and run metadata besides tensors; torch >= 2.6 (the GPU image)
    refuses those by default (weights_only=True)."""
    return torch.load(path, map_location=device, weights_only=False)


def save_checkpoint(path, **state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a killed run never leaves a truncated checkpoint


class Log:
    def __init__(self, run_dir):
        self.path = os.path.join(run_dir, "log.jsonl")

    def write(self, **rec):
        rec["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        line = json.dumps(rec)
        print(line, flush=True)
        with open(self.path, "a") as f:
            f.write(line + "\n")


def pick_device(name):
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda requested but CUDA is not available")
    return torch.device(name)


def add_run_args(ap, run_default, pack_default):
    """Arguments every training script shares: run folder, data, seed, device, resume/fine-tune, time budget."""
    ap.add_argument("--run", default=run_default, help="run folder: log.jsonl, last.pt, best.pt")
    ap.add_argument("--pack", default=pack_default, help="data pack folder (training/data.py)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--workers", type=int, default=0,
                    help="data-loading processes (samples are seeded by epoch and index, so results do not change); "
                         "on a GPU machine the synthetic composites, not the network, are the bottleneck")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--resume", action="store_true", help="continue RUN/last.pt (model, optimizer, schedule, sampler)")
    ap.add_argument("--init", help="start from this checkpoint's weights (fresh optimizer and schedule: fine-tuning)")
    ap.add_argument("--max-minutes", type=float, default=0, help="stop (after checkpointing) after this long")


class Run:
    """One training run's folder: seeding, device, log, init/resume, last/best checkpoints and the time budget."""

    def __init__(self, args):
        torch.set_num_threads(args.threads)
        seed_all(args.seed)
        self.args = args
        self.device = pick_device(args.device)
        os.makedirs(args.run, exist_ok=True)
        self.log = Log(args.run)
        self.last_path = os.path.join(args.run, "last.pt")
        self.best_path = os.path.join(args.run, "best.pt")
        self.t_start = time.time()

    def loaders(self, train_ds, val_ds, batch):
        """Seeded shuffling loaders; the generator is returned so its state goes into the checkpoint."""
        g = torch.Generator().manual_seed(self.args.seed)
        workers = self.args.workers
        train_dl = torch.utils.data.DataLoader(train_ds, batch_size=batch, shuffle=True, generator=g,
                                               drop_last=True, num_workers=workers,
                                               pin_memory=self.device.type == "cuda")
        val_dl = torch.utils.data.DataLoader(val_ds, batch_size=16, num_workers=workers)
        return train_dl, val_dl, g

    def restore(self, model, opt, sched, generator, total_steps, best):
        """Applies --resume (whole state) or --init (weights only); returns (start epoch, best metric)."""
        if self.args.resume and os.path.exists(self.last_path):
            ck = load_trusted(self.last_path, self.device)
            model.load_state_dict(ck["model"])
            opt.load_state_dict(ck["optimizer"])
            sched.load_state_dict(ck["scheduler"])
            # a resume may extend --epochs: stretch the schedule's anneal over the new total
            set_total_steps(sched, total_steps)
            generator.set_state(ck["generator"])
            best = ck.get("best", best)
            self.log.write(event="resume", epoch=ck["epoch"], best=best)
            return ck["epoch"], best
        if self.args.init:
            grown, kept = load_weights(model, load_trusted(self.args.init, self.device)["model"])
            self.log.write(event="init", weights=self.args.init, grown=grown, kept=kept)
        return 0, best

    def save(self, improved, **state):
        save_checkpoint(self.last_path, **state)
        if improved:
            save_checkpoint(self.best_path, **state)

    def out_of_time(self, epoch):
        if self.args.max_minutes and time.time() - self.t_start > self.args.max_minutes * 60:
            self.log.write(event="time budget reached", epoch=epoch)
            return True
        return False

    def fit_to_time(self, sched, epoch, planned, steps_per_epoch, epoch_seconds):
        """With --max-minutes, shortens the learning-rate schedule so it anneals when the budget runs out
        (a run cut while the rate is still high ends on a poor checkpoint). Returns the epochs now planned."""
        if not self.args.max_minutes:
            return planned
        per_epoch = max(epoch_seconds, 1e-3)
        left = int((self.args.max_minutes * 60 - (time.time() - self.t_start)) // per_epoch)
        fits = max(epoch + 1, epoch + left)
        if fits < planned:
            set_total_steps(sched, fits * steps_per_epoch)
            self.log.write(event="schedule fitted to the time budget", epochs=fits, was=planned,
                           epoch_s=round(per_epoch, 1))
            return fits
        return planned


def load_weights(model, state):
    """Loads a checkpoint's weights into a model that may read more input channels (an MNet with the prior
    branch): a weight with more input channels gets the old ones as a prefix and zeros for the new, so the model
    starts as the old function. Returns (grown keys, keys kept at their initial value)."""
    own = model.state_dict()
    grown, kept = [], []
    for k, v in own.items():
        if k not in state:
            kept.append(k)
            continue
        old = state[k]
        if old.shape == v.shape:
            v.copy_(old)
        elif old.dim() == 4 and old.shape[0] == v.shape[0] and old.shape[2:] == v.shape[2:] and old.shape[1] < v.shape[1]:
            v.zero_()
            v[:, :old.shape[1]].copy_(old)
            grown.append(k)
        else:
            raise SystemExit("--init: %s has shape %s in the checkpoint, %s in this model"
                             % (k, tuple(old.shape), tuple(v.shape)))
    unused = sorted(set(state) - set(own))
    if unused:
        raise SystemExit("--init: the checkpoint has weights this model lacks: %s" % ", ".join(unused[:5]))
    model.load_state_dict(own)
    return grown, kept


def set_total_steps(sched, total_steps):
    """Moves the end of the schedule's anneal. OneCycleLR keeps its phase boundaries apart from total_steps:
    moving only total_steps (as this code did before) let a resumed run's rate climb back up its cosine."""
    if isinstance(sched, torch.optim.lr_scheduler.OneCycleLR):
        sched.total_steps = total_steps
        sched._schedule_phases[-1]["end_step"] = float(total_steps) - 1
    else:
        sched.T_max = total_steps
