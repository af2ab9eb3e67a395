"""Widen a trained network to twice its width without changing what it computes (Net2WiderNet, Chen et al. 2016).

  /usr/bin/python3 training/widen.py --checkpoint models/checkpoints/mnet-prior.pt --out /tmp/w16.pt
  /usr/bin/python3 training/train_mnet.py --prior --width 16 --init /tmp/w16.pt ...

Training a wider network from scratch costs the CPU hours the narrow one already spent. Instead every feature
channel is duplicated (new channel j copies old channel j mod c) and every convolution that reads duplicated
channels gets half the weight for each copy, so the sum it computes is unchanged; batch-norm statistics are
copied with their channel. The copies would then receive identical gradients forever, so a little noise
(``--noise`` times each layer's weight spread) breaks the symmetry; the output moves by a small amount only.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import save_checkpoint  # noqa: E402
from models import MNet, UNet, count_parameters  # noqa: E402


class Channels:
    """Where each channel of a widened feature map comes from, and how many copies its source has."""

    def __init__(self, source, copies):
        self.source, self.copies = source, copies

    @staticmethod
    def same(c):
        return Channels(torch.arange(c), torch.ones(c))

    @staticmethod
    def doubled(c):
        return Channels(torch.arange(2 * c) % c, torch.full((2 * c,), 2.0))

    def __add__(self, other):  # torch.cat of two feature maps along channels
        return Channels(torch.cat([self.source, other.source + int(self.source.max()) + 1]),
                        torch.cat([self.copies, other.copies]))


def copy_conv(new, old, cin, cout):
    w = old.weight.data[cout.source][:, cin.source] / cin.copies[None, :, None, None]
    new.weight.data.copy_(w)
    if old.bias is not None:
        new.bias.data.copy_(old.bias.data[cout.source])


def copy_bn(new, old, cout):
    for name in ("weight", "bias", "running_mean", "running_var"):
        getattr(new, name).data.copy_(getattr(old, name).data[cout.source])
    new.num_batches_tracked.data.copy_(old.num_batches_tracked.data)


def copy_conv_bn_relu(new, old, cin, cout):
    copy_conv(new[0], old[0], cin, cout)
    copy_bn(new[1], old[1], cout)
    return cout


def copy_stack(new, old, cin, c):
    """A Sequential of conv_bn_relu blocks (DoubleConv, a VGG block) whose outputs all have c old channels."""
    for n, o in zip(new, old):
        cin = copy_conv_bn_relu(n, o, cin, Channels.doubled(c))
    return cin


def widen_unet(old):
    new = UNet(width=2 * old.width)
    w = [old.width * k for k in (1, 2, 4, 8, 8, 8)]
    copy_stack(new.inc, old.inc, Channels.same(old.inc[0][0].in_channels), w[0])
    for i in range(5):
        copy_stack(new.downs[i], old.downs[i], Channels.doubled(w[i]), w[i + 1])
    cin = w[5]
    for k, i in enumerate(reversed(range(5))):  # up k: upsampled deeper features, then the skip of level i
        copy_stack(new.ups[k].conv, old.ups[k].conv, Channels.doubled(cin) + Channels.doubled(w[i]), w[i])
        cin = w[i]
    copy_conv(new.head, old.head, Channels.doubled(w[0]), Channels.same(1))
    return new


def widen_mnet(old):
    new = MNet(width=2 * old.width, prior=old.prior is not None)
    w = [old.width * k for k in (1, 2, 4, 8, 8)]
    cin = Channels.same(old.enc[0][0][0].in_channels)  # input (and prior) channels are not widened
    for i in range(5):
        cin = copy_stack(new.enc[i], old.enc[i], cin, w[i])
    copy_conv_bn_relu(new.bottleneck, old.bottleneck, cin, Channels.doubled(w[4]))
    c = w[4]
    for k, i in enumerate(reversed(range(5))):
        copy_stack(new.ups[k].conv, old.ups[k].conv, Channels.doubled(c) + Channels.doubled(w[i]), w[i])
        c = w[i]
    copy_conv(new.coarse, old.coarse, Channels.doubled(w[0]), Channels.same(1))
    r = Channels.same(old.refine[0][0].in_channels)  # the input, the coarse alpha (and the prior)
    r = copy_conv_bn_relu(new.refine[0], old.refine[0], r, Channels.doubled(w[0]))
    r = copy_conv_bn_relu(new.refine[1], old.refine[1], r, Channels.doubled(w[0]))
    copy_conv(new.refine[2], old.refine[2], r, Channels.same(1))
    return new


def break_symmetry(model, noise, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d) and noise > 0:
                w = m.weight
                w.add_(torch.randn(w.shape, generator=g) * noise * float(w.std()))


def widen(model, noise=0.0, seed=0):
    new = widen_unet(model) if isinstance(model, UNet) else widen_mnet(model)
    break_symmetry(new, noise, seed)
    return new


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="a train_seg.py / train_mnet.py checkpoint")
    ap.add_argument("--out", required=True, help="widened checkpoint, for --init")
    ap.add_argument("--noise", type=float, default=0.02, help="symmetry-breaking noise, relative to weight spread")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    from export import load_checkpoint
    old, ck = load_checkpoint(args.checkpoint)
    new = widen(old, args.noise, args.seed).eval()
    x = torch.randn(2, old_in_channels(old), 64, 96, generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        diff = float((new(x) - old(x)).abs().max())
    training = dict(ck.get("training", {}))
    training["notes"] = ("widened from width %d (%s, epoch %s) by widen.py, noise %g; "
                         % (old.width, os.path.basename(args.checkpoint), ck.get("epoch"), args.noise)
                         + training.get("notes", ""))
    save_checkpoint(args.out, model=new.state_dict(), task=ck["task"], width=new.width, epoch=0,
                    prior=ck.get("prior", False),
                    training=training, metrics={}, widened_from=args.checkpoint)
    print("width %d -> %d, parameters %d -> %d, largest output change %.2e"
          % (old.width, new.width, count_parameters(old), count_parameters(new), diff))


def old_in_channels(model):
    return 3 if isinstance(model, UNet) else 6


if __name__ == "__main__":
    main()
