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
        train_dl = torch.utils.data.DataLoader(train_ds, batch_size=batch, shuffle=True, generator=g,
                                               drop_last=True, num_workers=0)
        val_dl = torch.utils.data.DataLoader(val_ds, batch_size=16, num_workers=0)
        return train_dl, val_dl, g

    def restore(self, model, opt, sched, generator, total_steps, best):
        """Applies --resume (whole state) or --init (weights only); returns (start epoch, best metric)."""
        if self.args.resume and os.path.exists(self.last_path):
            ck = torch.load(self.last_path, map_location=self.device)
            model.load_state_dict(ck["model"])
            opt.load_state_dict(ck["optimizer"])
            sched.load_state_dict(ck["scheduler"])
            # a resume may extend --epochs: stretch the schedule's anneal over the new total
            if hasattr(sched, "total_steps"):
                sched.total_steps = total_steps
            else:
                sched.T_max = total_steps
            generator.set_state(ck["generator"])
            best = ck.get("best", best)
            self.log.write(event="resume", epoch=ck["epoch"], best=best)
            return ck["epoch"], best
        if self.args.init:
            model.load_state_dict(torch.load(self.args.init, map_location=self.device)["model"])
            self.log.write(event="init", weights=self.args.init)
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
