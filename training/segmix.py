"""Segmentation v3 data: real portraits with soft targets, real full-body photos and multi-person composites.

  /work/venv/bin/python training/segmix.py            # -> training/data-pack/seg3.npz (git-ignored), ~1 minute
  /work/venv/bin/python training/segmix.py --preview  # also writes prev-seg3-*.png sample grids there

Sources (read from ../shared/data, never copied into the repository):
- portraits/ train.txt with their binary masks; where pseudo-alpha/portraits/ has the teacher's soft alpha, the
  target inside a narrow band around the mask's boundary is the teacher's alpha (soft edges instead of a staircase
  after upsampling); outside the band the human-drawn mask rules.
- fullbody/ train.txt (whole bodies, outdoors); val.txt is packed too, for selection and evaluation only.
- composites made on the fly: 1-3 people (portrait busts anchored on the frame's bottom edge, full-body people and
  cutouts/ anywhere) at a person height of 15-100 % of the frame, over backgrounds/, in portrait and landscape
  frames; a few frames with nobody (fewer false positives on plants and objects).
"""
import argparse
import os
import sys

import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data import (PACK, colour_jitter, default_shared, degrade, letterbox, load_pack, normalise,  # noqa: E402
                  read_ids)

cv2.setNumThreads(1)

FULLBODY_W, FULLBODY_H = 256, 384  # the photos are 550 x ~830 (2:3)
PORTRAIT_W, PORTRAIT_H = 192, 256
SEG3 = "seg3"


def pack_name(fullbody_height=FULLBODY_H):
    """seg3 keeps the full-body photos at 256x384; a 480-px scene run needs them at 320x480 (seg3-h480)."""
    return SEG3 if fullbody_height == FULLBODY_H else "%s-h%d" % (SEG3, fullbody_height)


def build_seg3(shared, out=PACK, fullbody_height=FULLBODY_H):
    fb_h, fb_w = fullbody_height, int(round(fullbody_height * 2 / 3))
    arrays = {}
    fb = os.path.join(shared, "fullbody")
    for split in ("train", "val"):
        ids = read_ids(os.path.join(fb, split + ".txt"))
        imgs = np.zeros((len(ids), fb_h, fb_w, 3), np.uint8)
        masks = np.zeros((len(ids), fb_h, fb_w), np.uint8)
        for i, k in enumerate(ids):
            im = cv2.imread(os.path.join(fb, "images", k + ".jpg"), cv2.IMREAD_COLOR)
            m = cv2.imread(os.path.join(fb, "masks", k + ".png"), cv2.IMREAD_GRAYSCALE)
            imgs[i] = cv2.resize(im, (fb_w, fb_h), interpolation=cv2.INTER_AREA)[:, :, ::-1]
            masks[i] = cv2.resize(m, (fb_w, fb_h), interpolation=cv2.INTER_AREA)
        arrays["fb_%s_images" % split], arrays["fb_%s_masks" % split] = imgs, masks
        arrays["fb_%s_ids" % split] = np.array(ids)
    por = os.path.join(shared, "portraits")
    pa = os.path.join(shared, "pseudo-alpha", "portraits")
    ids = read_ids(os.path.join(por, "train.txt"))
    soft = np.zeros((len(ids), PORTRAIT_H, PORTRAIT_W), np.uint8)
    have = np.zeros(len(ids), bool)
    for i, k in enumerate(ids):
        p = os.path.join(pa, k + ".png")
        if os.path.exists(p):
            a = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
            if a is not None:
                soft[i] = cv2.resize(a, (PORTRAIT_W, PORTRAIT_H), interpolation=cv2.INTER_AREA)
                have[i] = True
    arrays["portrait_train_soft"], arrays["portrait_train_has_soft"] = soft, have
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, pack_name(fullbody_height) + ".npz"), **arrays)
    return out


def soft_target(mask, soft, band=4):
    """The binary mask, with the teacher's soft alpha inside a band of +-``band`` px around its boundary.

    The teacher is right about edges and wrong about semantics now and then (a cut-off shoulder), so it only
    decides where the human mask is uncertain anyway."""
    m = (mask > 127).astype(np.uint8)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * band + 1, 2 * band + 1))
    edge = cv2.dilate(m, k) != cv2.erode(m, k)
    t = m.astype(np.float32)
    t[edge] = soft[edge].astype(np.float32) / 255.0
    return t


def cover_affine(W, H, out_w, out_h, rng, zoom=(1.0, 1.5), angle=10):
    """Affine map of a W x H photo that covers the out frame (no border) at a random zoom, position and tilt."""
    s = max(out_w / W, out_h / H) * rng.uniform(*zoom)
    a = rng.uniform(-angle, angle)
    M = cv2.getRotationMatrix2D((W / 2, H / 2), a, s)
    # the free travel of the scaled photo inside the frame
    tx = max(0.0, W * s - out_w) / 2
    ty = max(0.0, H * s - out_h) / 2
    M[0, 2] += out_w / 2 - W / 2 + rng.uniform(-tx, tx)
    M[1, 2] += out_h / 2 - H / 2 + rng.uniform(-ty, ty)
    return M


class SegMix:
    """Seeded v3 segmentation samples: ``batch(epoch, step, n)`` returns (x, target) tensors of one frame shape.

    Frame shapes alternate by batch between portrait (3:4) and landscape (4:3) at long side ``size``; with several
    ``sizes`` the batches cycle through every (size, orientation) pair, so one network learns each working size.
    Mix: real portraits ``p_portrait``, real full-body photos ``p_fullbody``, composites for the rest. Full bodies
    come from ``fullbody_idx`` of fullbody/train.txt (default all).
    """

    def __init__(self, portraits, seg3, comp, portrait_idx, size=256, seed=0, p_portrait=0.25, p_fullbody=0.3,
                 p_empty=0.04, sizes=None, fullbody_idx=None):
        self.p_img, self.p_mask = portraits["train_images"], portraits["train_masks"]
        self.p_soft, self.p_has = seg3["portrait_train_soft"], seg3["portrait_train_has_soft"]
        self.p_idx = np.asarray(portrait_idx)
        self.fb_img, self.fb_mask = seg3["fb_train_images"], seg3["fb_train_masks"]
        # the full-body photos drawn from (all of train.txt, or what a selection hold-out leaves)
        self.fb_idx = np.arange(len(self.fb_img)) if fullbody_idx is None else np.asarray(fullbody_idx)
        self.bg, self.cut = comp["backgrounds"], comp["cutouts"]
        self.size, self.seed = size, seed
        self.p_portrait, self.p_fullbody, self.p_empty = p_portrait, p_fullbody, p_empty
        self.frames = []
        for long_side in sizes or [size]:
            short = int(round(long_side * 3 / 4 / 32) * 32)
            self.frames += [(short, long_side), (long_side, short)]  # (w, h): portrait, landscape

    def portrait_target(self, j):
        m = self.p_mask[j]
        if self.p_has[j]:
            return soft_target(m, self.p_soft[j])
        return (m > 127).astype(np.float32)

    # --- the three kinds of sample -------------------------------------------------------------------------
    def real(self, img, target, w, h, rng, zoom):
        M = cover_affine(img.shape[1], img.shape[0], w, h, rng, zoom)
        x = cv2.warpAffine(colour_jitter(img, rng), M, (w, h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REFLECT_101)
        t = cv2.warpAffine(target, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
        return x, t

    def person(self, rng):
        """One person layer: (rgb u8, alpha float, kind) from a portrait bust, a full-body photo or a cut-out."""
        r = rng.random()
        if r < 0.35:
            j = self.p_idx[rng.integers(len(self.p_idx))]
            return self.p_img[j], self.portrait_target(j), "bust"
        if r < 0.75:
            j = self.fb_idx[rng.integers(len(self.fb_idx))]
            a = cv2.GaussianBlur(self.fb_mask[j].astype(np.float32) / 255.0, (0, 0), 1.0)
            return self.fb_img[j], a, "body"
        c = self.cut[rng.integers(len(self.cut))]
        return c[..., :3], c[..., 3].astype(np.float32) / 255.0, "body"

    def composite(self, w, h, rng):
        b = self.bg[rng.integers(len(self.bg))]
        M = cover_affine(b.shape[1], b.shape[0], w, h, rng, (1.0, 2.0), angle=0)
        canvas = cv2.warpAffine(colour_jitter(b, rng), M, (w, h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REFLECT_101).astype(np.float32)
        if rng.random() < 0.25:
            canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.8, 3))  # shallow depth of field
        total = np.zeros((h, w), np.float32)
        if rng.random() < self.p_empty:
            return np.clip(canvas, 0, 255).astype(np.uint8), total
        n = 1 + int(rng.random() < 0.35) + int(rng.random() < 0.15)
        for _ in range(n):
            rgb, a, kind = self.person(rng)
            ys, xs = np.nonzero(a > 0.5)
            if len(ys) < 20:
                continue
            y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
            rgb, a = rgb[y0:y1, x0:x1], a[y0:y1, x0:x1]
            ph = rng.uniform(0.15, 1.0) * h  # person height in the frame
            s = ph / a.shape[0]
            pw = max(2, int(round(a.shape[1] * s)))
            ph = max(2, int(round(ph)))
            if pw > 1.6 * w:
                continue
            rgb = cv2.resize(colour_jitter(rgb, rng), (pw, ph), interpolation=cv2.INTER_AREA)
            a = cv2.resize(a, (pw, ph), interpolation=cv2.INTER_LINEAR)
            if rng.random() < 0.5:
                rgb, a = rgb[:, ::-1], a[:, ::-1]
            px = int(rng.uniform(-0.25 * pw, w - 0.75 * pw))
            # busts stand on the bottom edge (their photo cut them there); bodies anywhere, feet may leave the frame
            py = h - ph if kind == "bust" else int(rng.uniform(min(0, h - ph), max(1, h - 0.6 * ph)))
            fx0, fy0, fx1, fy1 = max(0, px), max(0, py), min(w, px + pw), min(h, py + ph)
            if fx1 <= fx0 or fy1 <= fy0:
                continue
            sa = a[fy0 - py:fy1 - py, fx0 - px:fx1 - px, None]
            sr = rgb[fy0 - py:fy1 - py, fx0 - px:fx1 - px].astype(np.float32)
            canvas[fy0:fy1, fx0:fx1] = sa * sr + (1 - sa) * canvas[fy0:fy1, fx0:fx1]
            tt = total[fy0:fy1, fx0:fx1]
            total[fy0:fy1, fx0:fx1] = 1 - (1 - tt) * (1 - sa[..., 0])
        return np.clip(canvas, 0, 255).astype(np.uint8), total

    def sample(self, w, h, rng):
        r = rng.random()
        if r < self.p_portrait:
            j = self.p_idx[rng.integers(len(self.p_idx))]
            x, t = self.real(self.p_img[j], self.portrait_target(j), w, h, rng, (1.0, 1.4))
        elif r < self.p_portrait + self.p_fullbody:
            j = self.fb_idx[rng.integers(len(self.fb_idx))]
            x, t = self.real(self.fb_img[j], self.fb_mask[j].astype(np.float32) / 255.0, w, h, rng, (1.0, 1.8))
        else:
            x, t = self.composite(w, h, rng)
        if rng.random() < 0.5:
            x, t = x[:, ::-1], t[:, ::-1]
        x = degrade(np.ascontiguousarray(x), rng)
        return x, np.ascontiguousarray(t, dtype=np.float32)

    def batch(self, epoch, step, n):
        w, h = self.frames[step % len(self.frames)]
        xs, ts = [], []
        for i in range(n):
            rng = np.random.default_rng((self.seed, epoch, step, i))
            x, t = self.sample(w, h, rng)
            xs.append(normalise(x))
            ts.append(t[None])
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ts))


class LetterboxSet(torch.utils.data.Dataset):
    """Evaluation samples exactly as inference sees them: long side = size, padded to a multiple of 32."""

    def __init__(self, images, masks, size):
        self.images, self.masks, self.size = images, masks, size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = self.images[i]
        H, W = img.shape[:2]
        s = self.size / max(H, W)
        w, h = round(W * s), round(H * s)
        ow, oh = int(np.ceil(w / 32) * 32), int(np.ceil(h / 32) * 32)
        x, m = letterbox(img, self.masks[i], ow, oh)
        return torch.from_numpy(normalise(x)), torch.from_numpy((m > 127).astype(np.float32)[None])


def main():
    ap = argparse.ArgumentParser(description="build the v3 segmentation pack")
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--out", default=PACK)
    ap.add_argument("--preview", action="store_true")
    ap.add_argument("--fullbody-height", type=int, default=FULLBODY_H,
                    help="height the full-body photos are packed at (480 for scene-size training: pack seg3-h480)")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.out, pack_name(args.fullbody_height) + ".npz")):
        if not args.shared:
            raise SystemExit("shared data folder not found; pass --shared ../shared/data")
        build_seg3(args.shared, args.out, args.fullbody_height)
    if args.preview:
        mix = SegMix(load_pack("portraits", args.out), load_pack(pack_name(args.fullbody_height), args.out),
                     load_pack("composites", args.out), range(1000))
        for s in range(6):
            x, t = mix.batch(0, s, 4)
            rows = []
            for i in range(4):
                from data import MEAN, STD
                rgb = ((x[i].numpy().transpose(1, 2, 0) * STD + MEAN) * 255).clip(0, 255).astype(np.uint8)
                m = np.repeat((t[i, 0].numpy() * 255).astype(np.uint8)[..., None], 3, 2)
                rows.append(np.concatenate([rgb[:, :, ::-1], m], 1))
            cv2.imwrite(os.path.join(args.out, "prev-seg3-%d.png" % s), np.concatenate(rows, 0))


if __name__ == "__main__":
    main()
