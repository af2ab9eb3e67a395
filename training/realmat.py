"""Real portraits with the teacher's soft alpha (pseudo-alpha/portraits) as matting samples for MNet v3.

The teacher (a trimap-free video-matting network) gives alpha but no clean foreground or background, so these
samples carry only an alpha target: the composition loss is applied to the synthetic composites alone. Photos are
read from ../shared/data at start (never copied into the project) and kept in memory at their 600x800 size.
"""
import os
import sys

import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import colour_jitter, edge_crop_origin, normalise, random_trimap, read_ids, trimap_onehot  # noqa: E402


def load_real_portraits(shared, split):
    """(images RGB uint8 list, alpha uint8 list, ids) of portraits SPLIT.txt that have a teacher alpha."""
    por, pa = os.path.join(shared, "portraits"), os.path.join(shared, "pseudo-alpha", "portraits")
    ids = read_ids(os.path.join(por, split + ".txt"))
    images, alphas, kept = [], [], []
    for k in ids:
        a = cv2.imread(os.path.join(pa, k + ".png"), cv2.IMREAD_GRAYSCALE)
        im = cv2.imread(os.path.join(por, "images", k + ".jpg"), cv2.IMREAD_COLOR)
        if a is None or im is None or a.shape != im.shape[:2]:
            continue
        images.append(np.ascontiguousarray(im[:, :, ::-1]))
        alphas.append(a)
        kept.append(k)
    return images, alphas, kept


def load_alphas(folder, ids, like):
    """alpha uint8 per id from FOLDER/ID.png or FOLDER/ID-alpha.png (sharpen_alpha.py's output, as `matte` names it),
    each the size of its match in LIKE; exits naming the first id that is missing or of another size, so a run never
    trains on a partial set."""
    out = []
    for k, ref in zip(ids, like):
        p = os.path.join(folder, k + ".png")
        a = cv2.imread(p if os.path.exists(p) else os.path.join(folder, k + "-alpha.png"), cv2.IMREAD_GRAYSCALE)
        if a is None or a.shape != ref.shape:
            sys.exit("%s: no %s.png of %dx%d (have %d ids before it)" % (folder, k, ref.shape[1], ref.shape[0], len(out)))
        out.append(a)
    return out


class RealMatting(torch.utils.data.Dataset):
    """size x size crops of real portraits at a random scale, centred near the teacher's transition, with a random
    trimap from the teacher's alpha. Returns the same tuple as data.Composites; fg/bg are zeros and the fifth
    element's second channel (has_fb) is 0, so the composition loss skips them."""

    def __init__(self, images, alphas, length, size=320, seed=0, fixed=False, band_max=48,
                 scale=(0.45, 1.0)):
        self.images, self.alphas, self.length, self.size = images, alphas, length, size
        self.band_max, self.seed, self.fixed, self.epoch, self.scale = band_max, seed, fixed, 0, scale

    def __len__(self):
        return self.length

    def sample_arrays(self, i):
        rng = np.random.default_rng((self.seed, 0 if self.fixed else self.epoch, i, 7))
        s = self.size
        k = int(rng.integers(len(self.images)))
        im, a8 = self.images[k], self.alphas[k]
        h, w = a8.shape
        sc = max(rng.uniform(*self.scale), s / min(h, w))
        nw, nh = max(s, round(w * sc)), max(s, round(h * sc))
        if (nw, nh) != (w, h):
            im = cv2.resize(im, (nw, nh), interpolation=cv2.INTER_AREA)
            a8 = cv2.resize(a8, (nw, nh), interpolation=cv2.INTER_AREA)
        alpha = a8.astype(np.float32) / 255
        y0, x0 = edge_crop_origin((a8 > 12) & (a8 < 243), s, rng)
        im, alpha = im[y0:y0 + s, x0:x0 + s], alpha[y0:y0 + s, x0:x0 + s]
        if rng.random() < 0.5:
            im, alpha = im[:, ::-1], alpha[:, ::-1]
        im = colour_jitter(np.ascontiguousarray(im), rng)
        alpha = np.ascontiguousarray(alpha)
        tri = random_trimap(alpha, rng, 2, self.band_max)
        return im, alpha, tri

    def __getitem__(self, i):
        img, alpha, tri = self.sample_arrays(i)
        x = np.concatenate([normalise(img), trimap_onehot(tri)], axis=0)
        t = lambda arr: torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32))  # noqa: E731
        z = torch.zeros(3, self.size, self.size)
        return t(x), t(alpha[None]), z, z.clone(), t((tri == 128)[None]), torch.zeros(1)


class Mixed(torch.utils.data.Dataset):
    """Synthetic composites and real portraits interleaved at a fixed fraction (deterministic per index)."""

    def __init__(self, synthetic, real, real_fraction):
        self.syn, self.real, self.fraction = synthetic, real, real_fraction
        self.length = len(synthetic)
        self._epoch = 0

    @property
    def epoch(self):
        return self._epoch

    @epoch.setter
    def epoch(self, e):
        self._epoch = self.syn.epoch = self.real.epoch = e

    def __len__(self):
        return self.length

    def __getitem__(self, i):
        if np.random.default_rng((i, self._epoch, 99)).random() < self.fraction:
            return self.real[i]
        x, a, f, b, u = self.syn[i]
        return x, a, f, b, u, torch.ones(1)
