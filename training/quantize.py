"""Static int8 quantization of a segmentation model in models/ (ONNX Runtime, QDQ, per-channel weights).

Conv nets on a 2-core CPU spend their time in convolutions; int8 ones run about twice as fast through ONNX Runtime's
CPU kernels at the same mask (measured in the main README, *Models and training*, and in the shipped cards'
`quantization.measured`, which a re-run drops: measure again after it). Activation ranges are calibrated on
photos of the training splits only, at every size the app runs the model at (the working size, and the scene size
for the general model), each also mirrored as flip averaging feeds it.

    /work/venv/bin/python training/quantize.py --model person-unet --sizes 320,480
    /work/venv/bin/python training/quantize.py --model portrait-unet --sizes 160

The float graph is kept beside the card as NAME.float.onnx (ignored by git; re-export it with export.py), so a
second run quantizes the float graph again rather than the int8 one. The card gets the new sha256, a `quantization`
field (what was calibrated on, the float graph's sha256, the largest deviation from it on the check input) and the
check file's tolerance is widened to cover that deviation (the samples stay the PyTorch float model's).
"""
import argparse
import json
import os
import shutil
import sys

import cv2
import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "..", "shared", "data")
sys.path.insert(0, HERE)
from export import formula_input, sha256  # noqa: E402
from models import IMAGE_MEAN, IMAGE_STD  # noqa: E402

MEAN, STD = np.array(IMAGE_MEAN), np.array(IMAGE_STD)


def prep(bgr, long_side):
    """The app's pre-processing: long side to `long_side`, both sides a multiple of 32, area resize, ImageNet norm."""
    h, w = bgr.shape[:2]
    s = long_side / max(h, w)
    nh, nw = max(32, int(round(h * s / 32)) * 32), max(32, int(round(w * s / 32)) * 32)
    x = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_AREA)[:, :, ::-1] / 255.0
    return ((x - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)


def calibration_photos(every):
    """Every n-th photo of portraits/train.txt and fullbody/train.txt (never a test or validation photo)."""
    out = []
    for sub in ("portraits", "fullbody"):
        ids = open(os.path.join(DATA, sub, "train.txt")).read().split()[::every]
        out += [os.path.join(DATA, sub, "images", i + ".jpg") for i in ids]
    return out


class Reader(CalibrationDataReader):
    def __init__(self, photos, sizes):
        self.items = iter([{"input": np.concatenate([x, x[:, :, :, ::-1]])}
                           for p in photos for x in (prep(cv2.imread(p), s) for s in sizes)])

    def get_next(self):
        return next(self.items, None)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="NAME of models/NAME.onnx + NAME.json")
    ap.add_argument("--sizes", default="320", help="long sides the app runs it at, comma-separated")
    ap.add_argument("--every", type=int, default=30, help="calibrate on every n-th training photo of each set")
    ap.add_argument("--models", default=os.path.join(ROOT, "models"))
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    onnx_path = os.path.join(a.models, a.model + ".onnx")
    float_path = os.path.join(a.models, a.model + ".float.onnx")
    card_path = os.path.join(a.models, a.model + ".json")
    check_path = os.path.join(a.models, a.model + ".check.json")
    card = json.load(open(card_path))
    q = card.get("quantization")
    if not q:  # NAME.onnx is a float graph (a fresh export): it, not an older NAME.float.onnx, is what to quantize
        shutil.copyfile(onnx_path, float_path)
    elif not os.path.exists(float_path) or sha256(float_path) != q.get("float_sha256"):
        sys.exit(f"{onnx_path} is already int8 and {float_path} is not the float graph it came from: re-export first")
    photos = calibration_photos(a.every)
    pre = onnx_path + ".pre.onnx"
    tmp = onnx_path + ".int8.tmp"
    try:
        quant_pre_process(float_path, pre, skip_symbolic_shape=True)
        quantize_static(pre, tmp, Reader(photos, sizes), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        check = json.load(open(check_path))
        x = formula_input(*check["input_shape"]).numpy()
        so = ort.SessionOptions()
        so.intra_op_num_threads = 2
        y_f = ort.InferenceSession(float_path, so, providers=["CPUExecutionProvider"]).run(None, {"input": x})[0]
        y_q = ort.InferenceSession(tmp, so, providers=["CPUExecutionProvider"]).run(None, {"input": x})[0]
        dev = float(np.abs(y_f - y_q).max())
        os.replace(tmp, onnx_path)
    finally:
        for p in (pre, tmp):
            if os.path.exists(p):
                os.remove(p)
    card["sha256"] = sha256(onnx_path)
    card["quantization"] = {
        "format": "ONNX Runtime static quantization, QDQ, int8 per-channel weights, uint8 activations",
        "calibration": f"every {a.every}th photo of portraits/train.txt and fullbody/train.txt ({len(photos)}), "
                       f"at long side {', '.join(map(str, sizes))}, each with its mirror",
        "float_sha256": sha256(float_path),
        "max_deviation_on_check_input": round(dev, 5),
    }
    write_json(card_path, card)
    check["tolerance"] = max(1e-3, float(np.ceil(dev * 1.5 * 1000) / 1000))
    check["note"] = "samples from the float PyTorch model; the tolerance covers the int8 graph's deviation"
    write_json(check_path, check)
    print(f"{onnx_path}: int8, {os.path.getsize(onnx_path) // 1024} KiB (float {os.path.getsize(float_path) // 1024} KiB); "
          f"largest deviation on the check input {dev:.5f}")


if __name__ == "__main__":
    main()
