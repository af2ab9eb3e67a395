#!/usr/bin/env bash
# One prepared run for a lent GPU machine: trains MNet and the segmentation U-Net side by side on CUDA for a
# fixed number of minutes, then leaves model-only checkpoints and logs in $OUT (the device tool brings back at
# most 8 files of 16 MiB: optimizer state does not fit, so continue from them with --init, not --resume).
#
# Here, once:   python training/data.py; python training/segmix.py; python training/data.py --compact .pack/data-pack
# Device tool:  run(command="bash training/gpu_train.sh 7", carry=[".pack"], timeout_s=600)
# Back here:    evaluate.py / export.py on the returned *.pt (training/README.md)
#
# Environment: PY (python with torch and cv2; the GPU image's python3), DEVICE (cuda; cpu for a dry run),
# PACK, OUT, INIT_SEG / INIT_MNET (checkpoints to fine-tune from; default: the committed ones if present; a width-8
# MNet is widened to 16 first).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-7}
PY=${PY:-python3}
DEVICE=${DEVICE:-cuda}
PACK=${PACK:-.pack/data-pack}
OUT=${OUT:-/tmp/gpu-train-out}
RUNS=${RUNS:-/tmp/gpu-runs}
# sample generation is the bottleneck there: a process makes ~200 portrait samples/s but ~22 composites/s at 320
SEG_WORKERS=${SEG_WORKERS:-3}
MNET_WORKERS=${MNET_WORKERS:-12}
SEG_ARGS=${SEG_ARGS:---mix --context --width 16 --size 256 --batch 16 --steps 200 --epochs 200 --lr 5e-4}
MNET_ARGS=${MNET_ARGS:---prior --width 16 --size 320 --band-max 80 --samples 4000 --batch 16 --epochs 200 --lr 5e-4}
INIT_SEG=${INIT_SEG-models/checkpoints/person-unet.pt}
INIT_MNET=${INIT_MNET-models/checkpoints/mnet-prior.pt}
mkdir -p "$OUT" "$RUNS"
# the committed MNet is width 8: widen it (function kept) to the width asked for in MNET_ARGS
if [ -n "$INIT_MNET" ] && [ -f "$INIT_MNET" ] && [[ "$MNET_ARGS" == *"--width 16"* ]]; then
  $PY training/widen.py --checkpoint "$INIT_MNET" --out "$RUNS/mnet-init-w16.pt" && INIT_MNET="$RUNS/mnet-init-w16.pt"
fi

[ "$DEVICE" = cuda ] && { nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true; }
$PY -c "import torch, cv2; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'cv2', cv2.__version__)"

init() { [ -n "$1" ] && [ -f "$1" ] && echo "--init $1" || true; }
# --max-minutes also fits each run's learning-rate schedule to the budget, so --epochs is only an upper bound
PYTHONUNBUFFERED=1 $PY training/train_seg.py --device "$DEVICE" --pack "$PACK" --run "$RUNS/seg" --workers "$SEG_WORKERS" \
    --threads 2 --max-minutes "$MINUTES" $SEG_ARGS $(init "$INIT_SEG") > "$OUT/seg.log" 2>&1 &
SEG=$!
PYTHONUNBUFFERED=1 $PY training/train_mnet.py --device "$DEVICE" --pack "$PACK" --run "$RUNS/mnet" --workers "$MNET_WORKERS" \
    --threads 2 --max-minutes "$MINUTES" $MNET_ARGS $(init "$INIT_MNET") > "$OUT/mnet.log" 2>&1 &
MNET=$!
status=0
wait $SEG || status=$?
wait $MNET || status=$?
tail -n 3 "$OUT/seg.log" "$OUT/mnet.log"

# model-only copies: small enough to come back, enough for evaluate.py, export.py and --init
$PY - "$RUNS" "$OUT" <<'EOF'
import os, sys, torch
sys.path.insert(0, "training")
from common import load_trusted
runs, out = sys.argv[1:3]
for name in ("seg", "mnet"):
    for which in ("best", "last"):
        p = os.path.join(runs, name, which + ".pt")
        if os.path.exists(p):
            ck = load_trusted(p)
            for k in ("optimizer", "scheduler", "generator"):
                ck.pop(k, None)
            torch.save(ck, os.path.join(out, "%s-%s.pt" % (name, which)))
            print(name, which, "epoch", ck.get("epoch"), ck.get("metrics"))
EOF
ls -la "$OUT"
exit $status
