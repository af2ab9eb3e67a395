"""Data: a compact pre-resized pack, portrait segmentation samples and synthetic matting composites.

  /usr/bin/python3 training/data.py --shared ../shared/data      # builds training/data-pack/*.npz (git-ignored)

The pack avoids decoding 600x800 JPEGs every epoch on a CPU shared with builds, and is small enough
(< 60 MiB) to carry to a GPU machine that cannot see ../shared.
"""
import argparse
import glob
import math
import os
import sys

import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from models import IMAGE_MEAN, IMAGE_STD  # noqa: E402

cv2.setNumThreads(1)

PACK = os.path.join(HERE, "data-pack")
MEAN = np.array(IMAGE_MEAN, np.float32)
STD = np.array(IMAGE_STD, np.float32)
PORTRAIT_W, PORTRAIT_H = 192, 256  # 3:4 like the 600x800 source
BG_SIZE = 320
CUT_SIZE = 256


def default_shared():
    for p in (os.environ.get("MATTING_SHARED_DATA"), os.path.join(HERE, "..", "..", "shared", "data"),
              os.path.join(HERE, "..", "..", "..", "shared", "data"), "/work/shared/data"):
        if p and os.path.isdir(p):
            return os.path.abspath(p)
    return None


def read_ids(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def cover_resize(img, w, h):
    """Scale to cover w x h, then centre-crop."""
    ih, iw = img.shape[:2]
    s = max(w / iw, h / ih)
    r = cv2.resize(img, (max(w, round(iw * s)), max(h, round(ih * s))), interpolation=cv2.INTER_AREA)
    y0, x0 = (r.shape[0] - h) // 2, (r.shape[1] - w) // 2
    return r[y0:y0 + h, x0:x0 + w]


def build_pack(shared, out=PACK):
    os.makedirs(out, exist_ok=True)
    por = os.path.join(shared, "portraits")
    arrays = {}
    for split in ("train", "test"):
        ids = read_ids(os.path.join(por, split + ".txt"))
        imgs = np.zeros((len(ids), PORTRAIT_H, PORTRAIT_W, 3), np.uint8)
        masks = np.zeros((len(ids), PORTRAIT_H, PORTRAIT_W), np.uint8)
        for i, k in enumerate(ids):
            im = cv2.imread(os.path.join(por, "images", k + ".jpg"), cv2.IMREAD_COLOR)
            m = cv2.imread(os.path.join(por, "masks", k + ".png"), cv2.IMREAD_GRAYSCALE)
            imgs[i] = cv2.resize(im, (PORTRAIT_W, PORTRAIT_H), interpolation=cv2.INTER_AREA)[:, :, ::-1]
            masks[i] = cv2.resize(m, (PORTRAIT_W, PORTRAIT_H), interpolation=cv2.INTER_AREA)
        arrays[split + "_images"], arrays[split + "_masks"] = imgs, masks
        arrays[split + "_ids"] = np.array(ids)
    np.savez(os.path.join(out, "portraits.npz"), **arrays)

    bgs = sorted(glob.glob(os.path.join(shared, "backgrounds", "*")))
    bgs = [b for b in bgs if os.path.isfile(b)]
    bg = np.zeros((len(bgs), BG_SIZE, BG_SIZE, 3), np.uint8)
    for i, b in enumerate(bgs):
        im = cv2.imread(b, cv2.IMREAD_COLOR)
        bg[i] = cover_resize(im, BG_SIZE, BG_SIZE)[:, :, ::-1]
    cuts = sorted(glob.glob(os.path.join(shared, "cutouts", "*.png")))
    cut = np.zeros((len(cuts), CUT_SIZE, CUT_SIZE, 4), np.uint8)
    for i, c in enumerate(cuts):
        im = cv2.imread(c, cv2.IMREAD_UNCHANGED)
        if im.ndim == 2 or im.shape[2] != 4:
            continue
        h, w = im.shape[:2]
        s = min((CUT_SIZE - 4) / h, (CUT_SIZE - 4) / w)
        r = cv2.resize(im, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
        y0, x0 = (CUT_SIZE - r.shape[0]) // 2, (CUT_SIZE - r.shape[1]) // 2
        cut[i, y0:y0 + r.shape[0], x0:x0 + r.shape[1]] = r[:, :, [2, 1, 0, 3]]
    np.savez(os.path.join(out, "composites.npz"), backgrounds=bg, cutouts=cut,
             background_names=np.array([os.path.basename(b) for b in bgs]))
    return out


# Image arrays of the compact pack are stored encoded: lossless PNG for masks and cut-outs (alpha is ground
# truth), JPEG for photos. Bytes are concatenated into one uint8 array with offsets, so no pickle is needed.
ENCODED = {"train_images": ".jpg", "test_images": ".jpg", "backgrounds": ".jpg",
           "train_masks": ".png", "test_masks": ".png", "cutouts": ".png",
           # seg3 (segmix.py): full-body photos, their masks, the teacher's soft alpha of the portraits
           "fb_train_images": ".jpg", "fb_val_images": ".jpg", "fb_train_masks": ".png", "fb_val_masks": ".png",
           "portrait_train_soft": ".png"}


def swap_rb(im):
    """RGB(A) <-> BGR(A): packs hold RGB, OpenCV encodes and decodes BGR."""
    return im[:, :, [2, 1, 0, 3][:im.shape[2]]] if im.ndim == 3 else im


def encode_arrays(arrays, jpeg_quality=95):
    out = {}
    for k, arr in arrays.items():
        ext = ENCODED.get(k)
        if ext is None:
            out[k] = arr
            continue
        blobs = []
        for im in arr:
            im = swap_rb(im)
            params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] if ext == ".jpg" else [cv2.IMWRITE_PNG_COMPRESSION, 9]
            ok, buf = cv2.imencode(ext, np.ascontiguousarray(im), params)
            if not ok:
                raise SystemExit("could not encode %s" % k)
            blobs.append(buf.ravel())
        out[k + "__bytes"] = np.concatenate(blobs)
        out[k + "__offsets"] = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
        out[k + "__shape"] = np.array(arr.shape, np.int64)
    return out


def decode_arrays(z):
    out = {}
    for k in z:
        if k.endswith("__bytes"):
            name = k[:-len("__bytes")]
            data, offsets, shape = z[k], z[name + "__offsets"], tuple(z[name + "__shape"])
            arr = np.zeros(shape, np.uint8)
            for i in range(shape[0]):
                arr[i] = swap_rb(cv2.imdecode(data[offsets[i]:offsets[i + 1]], cv2.IMREAD_UNCHANGED))
            out[name] = arr
        elif not (k.endswith("__offsets") or k.endswith("__shape")):
            out[k] = z[k]
    return out


def compact_pack(pack=PACK, out=None, jpeg_quality=90):
    """Writes NAME.enc.npz (encoded images, about a tenth of the plain pack) for carrying to a GPU machine.

    The test split stays behind: evaluate.py reads test.txt from shared/data at full resolution, and the
    device tool carries at most 64 MiB with the whole working tree.
    """
    out = out or pack
    os.makedirs(out, exist_ok=True)
    for name in ("portraits", "composites", "seg3"):
        if name == "seg3" and not os.path.exists(os.path.join(pack, name + ".npz")):
            continue  # built by segmix.py; without it --mix cannot run on the GPU machine
        arrays = {k: v for k, v in load_pack(name, pack).items() if not k.startswith("test_")}
        np.savez(os.path.join(out, name + ".enc.npz"), **encode_arrays(arrays, jpeg_quality))
    return out


def load_pack(name, pack=PACK):
    """The plain pack NAME.npz, or else the compact NAME.enc.npz decoded in memory."""
    path = os.path.join(pack, name + ".npz")
    enc = os.path.join(pack, name + ".enc.npz")
    if os.path.exists(path):
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    if os.path.exists(enc):
        with np.load(enc) as z:
            return decode_arrays({k: z[k] for k in z.files})
    raise SystemExit("data pack %s missing: run /usr/bin/python3 training/data.py first" % path)


def normalise(rgb_u8):
    """HWC uint8 RGB -> CHW float32 as in the model card."""
    x = (rgb_u8.astype(np.float32) / 255.0 - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def colour_jitter(img, rng):
    x = img.astype(np.float32)
    x = x * rng.uniform(0.7, 1.3) + rng.uniform(-25, 25)  # contrast, brightness
    grey = x.mean(axis=2, keepdims=True)
    x = grey + (x - grey) * rng.uniform(0.6, 1.4)  # saturation
    x = x * rng.uniform(0.9, 1.1, size=3)  # white balance
    if rng.random() < 0.3:
        x = 255.0 * (np.clip(x, 0, 255) / 255.0) ** rng.uniform(0.7, 1.4)
    return np.clip(x, 0, 255).astype(np.uint8)


def degrade(img, rng):
    if rng.random() < 0.25:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    if rng.random() < 0.25:
        img = np.clip(img + rng.normal(0, rng.uniform(2, 8), img.shape), 0, 255).astype(np.uint8)
    return img


def edge_crop_origin(edge, s, rng):
    """Top-left (y0, x0) of an s x s crop centred, give or take s/4, on a random pixel of the boolean map ``edge``
    (so most matting samples contain an unknown band); a uniform crop when there is no edge."""
    H, W = edge.shape
    ys, xs = np.nonzero(edge)
    if len(ys):
        k = rng.integers(len(ys))
        y0 = int(np.clip(ys[k] - s // 2 + rng.integers(-s // 4, s // 4 + 1), 0, H - s))
        x0 = int(np.clip(xs[k] - s // 2 + rng.integers(-s // 4, s // 4 + 1), 0, W - s))
        return y0, x0
    return int(rng.integers(0, H - s + 1)), int(rng.integers(0, W - s + 1))


def random_crop(arr, w, h, rng):
    H, W = arr.shape[:2]
    y, x = rng.integers(0, H - h + 1), rng.integers(0, W - w + 1)
    return arr[y:y + h, x:x + w]


class PortraitSeg(torch.utils.data.Dataset):
    """Portrait segmentation samples from the pack (train.txt ids only; ``indices`` selects a subset).

    Training samples: background fusion (the person pasted over a people-free photo for a share of samples),
    colour jitter, blur/noise, flip, small rotation/scale/shift, warped into out_w x out_h.
    Evaluation samples (augment=False): resized so the long side == out_h, padded to out_w x out_h by edge
    replication, which is what inference does at working size.
    """

    def __init__(self, images, masks, indices, out_w=160, out_h=192, augment=True, backgrounds=None,
                 fusion=0.35, seed=0):
        self.images, self.masks, self.indices = images, masks, np.asarray(indices)
        self.out_w, self.out_h, self.augment = out_w, out_h, augment
        self.backgrounds, self.fusion, self.seed = backgrounds, fusion, seed
        self.epoch = 0

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, i):
        j = self.indices[i]
        img, mask = self.images[j], self.masks[j]
        if not self.augment:
            x, m = letterbox(img, mask, self.out_w, self.out_h)
            return torch.from_numpy(normalise(x)), torch.from_numpy((m > 127).astype(np.float32)[None])
        rng = np.random.default_rng((self.seed, self.epoch, int(j)))
        if self.backgrounds is not None and rng.random() < self.fusion:
            bg = self.backgrounds[rng.integers(len(self.backgrounds))]
            bg = cv2.resize(random_crop(bg, 240, 320, rng), (img.shape[1], img.shape[0]))
            bg = colour_jitter(bg, rng)
            a = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), rng.uniform(0.6, 1.5))[..., None]
            img = (a * img + (1 - a) * bg).astype(np.uint8)
        img = colour_jitter(img, rng)
        H, W = img.shape[:2]
        scale = self.out_h / H * rng.uniform(0.75, 1.25)
        angle = rng.uniform(-12, 12)
        M = cv2.getRotationMatrix2D((W / 2, H / 2), angle, scale)
        M[0, 2] += self.out_w / 2 - W / 2 + rng.uniform(-0.12, 0.12) * self.out_w
        M[1, 2] += self.out_h / 2 - H / 2 + rng.uniform(-0.12, 0.12) * self.out_h
        border = [cv2.BORDER_REPLICATE, cv2.BORDER_REFLECT_101, cv2.BORDER_CONSTANT][rng.integers(3)]
        x = cv2.warpAffine(img, M, (self.out_w, self.out_h), flags=cv2.INTER_LINEAR, borderMode=border)
        m = cv2.warpAffine(mask, M, (self.out_w, self.out_h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE if border != cv2.BORDER_CONSTANT else cv2.BORDER_CONSTANT)
        if rng.random() < 0.5:
            x, m = x[:, ::-1], m[:, ::-1]
        x = degrade(np.ascontiguousarray(x), rng)
        return torch.from_numpy(normalise(x)), torch.from_numpy((m > 127).astype(np.float32)[None])


def letterbox(img, mask, out_w, out_h):
    """Resize so the long side fits (aspect kept), pad right/bottom by edge replication."""
    H, W = img.shape[:2]
    s = min(out_w / W, out_h / H)
    w, h = max(1, round(W * s)), max(1, round(H * s))
    x = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
    x = cv2.copyMakeBorder(x, 0, out_h - h, 0, out_w - w, cv2.BORDER_REPLICATE)
    m = None
    if mask is not None:
        m = cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR)
        m = cv2.copyMakeBorder(m, 0, out_h - h, 0, out_w - w, cv2.BORDER_CONSTANT, value=0)
    return x, m


# ---------------------------------------------------------------- synthetic matting composites

def fbm(h, w, rng, octaves=5, base=4):
    """Fractal noise in [0,1]: sum of upsampled random grids."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        n = base * 2 ** o
        g = rng.random((n, n)).astype(np.float32)
        out += amp * cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= 0.55
    out /= total
    return (out - out.min()) / max(1e-6, out.max() - out.min())


def soft_blob_alpha(h, w, rng):
    a = np.zeros((h, w), np.float32)
    for _ in range(rng.integers(1, 4)):
        c = (int(rng.uniform(0.2, 0.8) * w), int(rng.uniform(0.2, 0.8) * h))
        ax = (int(rng.uniform(0.15, 0.45) * w), int(rng.uniform(0.15, 0.45) * h))
        cv2.ellipse(a, c, ax, rng.uniform(0, 180), 0, 360, 1.0, -1, cv2.LINE_AA)
    if rng.random() < 0.6:  # fractal edge: threshold noise inside a band around the outline
        n = fbm(h, w, rng)
        band = cv2.GaussianBlur(a, (0, 0), rng.uniform(3, 10))
        t = rng.uniform(0.05, 0.2)
        a = np.clip((band + 0.35 * (n - 0.5) - 0.5) / t + 0.5, 0, 1)
    else:
        a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.7, 4))
    return a


def strands_alpha(h, w, rng, base=None):
    """Thin anti-aliased hair-like curves, each with its own opacity."""
    a = np.zeros((h, w), np.float32) if base is None else base.copy()
    for _ in range(rng.integers(10, 60)):
        layer = np.zeros((h, w), np.float32)
        p = np.array([rng.uniform(0, w), rng.uniform(0, h)])
        ang = rng.uniform(0, 2 * math.pi)
        pts = []
        for _ in range(rng.integers(8, 30)):
            pts.append(p.copy())
            ang += rng.normal(0, 0.25)
            p = p + rng.uniform(2, 6) * np.array([math.cos(ang), math.sin(ang)])
        pts = np.round(np.array(pts) * 16).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(layer, [pts], False, 1.0, 1, cv2.LINE_AA, shift=4)
        a = np.maximum(a, layer * rng.uniform(0.4, 1.0))
    return a


def procedural_alpha(h, w, rng):
    kind = rng.random()
    if kind < 0.45:
        a = soft_blob_alpha(h, w, rng)
        if rng.random() < 0.5:
            a = strands_alpha(h, w, rng, a)
    elif kind < 0.7:
        a = strands_alpha(h, w, rng, soft_blob_alpha(h, w, rng) * (rng.random() < 0.7))
    else:
        a = soft_blob_alpha(h, w, rng)
    if rng.random() < 0.3:  # semi-transparent region (glass, veil, motion blur)
        r = soft_blob_alpha(h, w, rng)
        a = a * (1 - r * rng.uniform(0.2, 0.8))
    return np.clip(a, 0, 1)


def random_trimap(alpha, rng, kmin=2, kmax=12):
    """0/128/255 trimap from alpha by random-size erosion (fg) and dilation (bg)."""
    fg = (alpha >= 0.99).astype(np.uint8)
    nz = (alpha > 0.01).astype(np.uint8)
    k1, k2 = int(rng.integers(kmin, kmax + 1)), int(rng.integers(kmin, kmax + 1))
    fg = cv2.erode(fg, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k1 + 1, 2 * k1 + 1)))
    nz = cv2.dilate(nz, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k2 + 1, 2 * k2 + 1)))
    t = np.full(alpha.shape, 128, np.uint8)
    t[nz == 0] = 0
    t[fg == 1] = 255
    return t


def trimap_onehot(t):
    return np.stack([(t == 0), (t == 128), (t == 255)]).astype(np.float32)


class Composites(torch.utils.data.Dataset):
    """DIM/SHM-style synthetic matting samples with exact ground truth I = aF + (1-a)B.

    Half from cutouts (real soft alpha), half procedural alpha textured with crops of real photos.
    Returns input (6 channels), alpha, fg, bg (RGB in [0,1]) and the unknown-band mask.
    """

    def __init__(self, backgrounds, cutouts, length, size=128, seed=0, fixed=False, band_max=0):
        self.bg, self.cut, self.length, self.size = backgrounds, cutouts, length, size
        self.band_max = band_max or max(4, size // 10)
        self.seed, self.fixed, self.epoch = seed, fixed, 0

    def __len__(self):
        return self.length

    def sample_arrays(self, i):
        rng = np.random.default_rng((self.seed, 0 if self.fixed else self.epoch, i))
        s = self.size
        if len(self.cut) and rng.random() < 0.5:
            c = self.cut[rng.integers(len(self.cut))]
            sc = rng.uniform(0.6, 1.4) * s / c.shape[0] * 2
            cw = max(s, int(c.shape[1] * sc))
            c = cv2.resize(c, (cw, max(s, int(c.shape[0] * sc))), interpolation=cv2.INTER_LINEAR)
            a_full = c[..., 3].astype(np.float32) / 255
            y0, x0 = edge_crop_origin((a_full > 0.05) & (a_full < 0.95), s, rng)
            c = c[y0:y0 + s, x0:x0 + s]
            alpha = c[..., 3].astype(np.float32) / 255
            fg = colour_jitter(c[..., :3], rng)
        else:
            alpha = procedural_alpha(s, s, rng)
            tex = self.bg[rng.integers(len(self.bg))]
            zoom = min(2 * s, tex.shape[0], tex.shape[1])  # zoomed-out texture, as far as the photo allows
            fg = colour_jitter(cv2.resize(random_crop(tex, zoom, zoom, rng), (s, s)) if rng.random() < 0.5
                               else random_crop(tex, s, s, rng), rng)
        if rng.random() < 0.5:
            alpha, fg = alpha[:, ::-1], fg[:, ::-1]
        b = self.bg[rng.integers(len(self.bg))]
        crop = int(s * rng.uniform(1.0, 2.5))
        bg = cv2.resize(random_crop(b, min(crop, b.shape[1]), min(crop, b.shape[0]), rng), (s, s),
                        interpolation=cv2.INTER_AREA)
        if rng.random() < 0.2:
            bg = cv2.GaussianBlur(bg, (0, 0), rng.uniform(1, 4))  # shallow depth of field
        bg = colour_jitter(bg, rng)
        f = fg.astype(np.float32) / 255
        bgf = bg.astype(np.float32) / 255
        a = np.ascontiguousarray(alpha)[..., None]
        img = a * f + (1 - a) * bgf
        img_u8 = np.clip(img * 255 + rng.normal(0, 1.0, img.shape), 0, 255).astype(np.uint8)
        tri = random_trimap(alpha, rng, 2, self.band_max)
        return img_u8, np.ascontiguousarray(alpha), f, bgf, tri

    def __getitem__(self, i):
        img, alpha, f, b, tri = self.sample_arrays(i)
        x = np.concatenate([normalise(img), trimap_onehot(tri)], axis=0)
        t = lambda arr: torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32))  # noqa: E731
        return (t(x), t(alpha[None]), t(f.transpose(2, 0, 1)), t(b.transpose(2, 0, 1)),
                t((tri == 128)[None]))


def split_composite_sources(pack, val_fraction=0.125, seed=0):
    """Backgrounds and cutouts split into train/validation so validation composites are unseen."""
    rng = np.random.default_rng(seed)
    out = {}
    for key in ("backgrounds", "cutouts"):
        arr = pack[key]
        idx = rng.permutation(len(arr))
        nv = max(1, int(len(arr) * val_fraction))
        out[key] = (arr[idx[nv:]], arr[idx[:nv]])
    return out


def print_sizes(folder):
    for f in sorted(os.listdir(folder)):
        print(os.path.join(folder, f), os.path.getsize(os.path.join(folder, f)) // 1024, "KiB")


def main():
    ap = argparse.ArgumentParser(description="build the training data pack")
    ap.add_argument("--shared", default=default_shared(), help="path of shared/data")
    ap.add_argument("--out", default=PACK)
    ap.add_argument("--preview", action="store_true", help="write a few sample PNGs to the pack folder")
    ap.add_argument("--compact", metavar="DIR",
                    help="also write the compact encoded pack (*.enc.npz, < 60 MiB) to DIR, e.g. .pack/data-pack "
                         "to carry to a GPU machine")
    args = ap.parse_args()
    if args.compact and os.path.exists(os.path.join(args.out, "portraits.npz")) and not args.preview:
        # the plain pack is already built: only encode it
        print_sizes(compact_pack(args.out, args.compact))
        return
    if not args.shared or not os.path.isdir(args.shared):
        raise SystemExit("shared data folder not found; pass --shared ../shared/data")
    out = build_pack(args.shared, args.out)
    print_sizes(out)
    if args.compact:
        print_sizes(compact_pack(out, args.compact))
    if args.preview:
        p, c = load_pack("portraits", out), load_pack("composites", out)
        ds = PortraitSeg(p["train_images"], p["train_masks"], range(8), backgrounds=c["backgrounds"], fusion=0.5)
        cs = Composites(c["backgrounds"], c["cutouts"], 8)
        for i in range(8):
            x, m = ds[i]
            rgb = ((x.numpy().transpose(1, 2, 0) * STD + MEAN) * 255).clip(0, 255).astype(np.uint8)
            cv2.imwrite(os.path.join(out, "prev-seg-%d.png" % i),
                        np.concatenate([rgb[:, :, ::-1], np.repeat(m.numpy()[0][..., None] * 255, 3, 2)], 1))
            img, alpha, f, b, tri = cs.sample_arrays(i)
            cv2.imwrite(os.path.join(out, "prev-mat-%d.png" % i), np.concatenate(
                [img[:, :, ::-1], np.repeat((alpha * 255)[..., None], 3, 2), np.repeat(tri[..., None], 3, 2)],
                1).astype(np.uint8))


if __name__ == "__main__":
    main()
