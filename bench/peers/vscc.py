"""PyTorch mirror of the VSCC codec and its training loss (lib/papers/vscc/model.ts, losses.ts; lib/nn/layers.ts).

Same layers, widths, norms (GroupNorm, eps 1e-5), activations (Swish), attention, power normalisation, channel and
loss (10) as the tfjs model, in torch's NCHW layout. Differences that do not change the cost: 'same' padding of the
stride-2 convolutions is symmetric here (tfjs pads bottom/right only), weights use torch's default init, and the
Adam lr warm-up is not mirrored (a learning-rate schedule costs nothing).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LOG_VAR_RANGE = (-16.0, 6.0)


class ResBlock(nn.Module):
    """GN -> Swish -> conv3 -> GN -> Swish -> conv3, plus a 1x1 skip when cin != cout (lib/nn resBlock)."""

    def __init__(self, cin, cout, groups):
        super().__init__()
        self.gn1 = nn.GroupNorm(groups, cin, eps=1e-5)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.gn2 = nn.GroupNorm(groups, cout, eps=1e-5)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.gn1(x)))
        h = self.conv2(F.silu(self.gn2(h)))
        return (self.skip(x) if self.skip is not None else x) + h


class Attention(nn.Module):
    """Single-head self-attention over the H*W positions: GN, q/k/v/proj dense C -> C, residual (attentionBlock)."""

    def __init__(self, c, groups):
        super().__init__()
        self.gn = nn.GroupNorm(groups, c, eps=1e-5)
        self.q, self.k, self.v, self.proj = (nn.Linear(c, c) for _ in range(4))

    def forward(self, x):
        n, c, h, w = x.shape
        hn = self.gn(x).reshape(n, c, h * w).transpose(1, 2)
        q, k, v = self.q(hn), self.k(hn), self.v(hn)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(c), dim=-1)
        out = self.proj(att @ v)
        return x + out.transpose(1, 2).reshape(n, c, h, w)


class Codec(nn.Module):
    """The codec of Fig. 5 (lib/papers/vscc/model.ts initCodec/encode/decode)."""

    def __init__(self, a):
        super().__init__()
        c, base, k, g = a["stageChannels"], a["baseChannels"], a["latentChannels"], a["groups"]
        last = c[-1]
        self.end_norm = a.get("endNorm", True) is not False
        self.attention = a["attention"]
        self.k = k
        self.enc_in = nn.Conv2d(3, base, 3, padding=1)
        self.enc_res = nn.ModuleList(ResBlock(base if i == 0 else c[i - 1], w, g) for i, w in enumerate(c))
        self.enc_down = nn.ModuleList(nn.Conv2d(w, w, 3, stride=2, padding=1) for w in c)
        self.enc_mid = nn.ModuleList(ResBlock(last, last, g) for _ in range(a["encoderBottleneckBlocks"]))
        self.enc_att = Attention(last, g) if self.attention else None
        self.enc_gn = nn.GroupNorm(g, last, eps=1e-5) if self.end_norm else None
        self.enc_out = nn.Conv2d(last, 2 * k, 3, padding=1)
        self.enc_quant = nn.Conv2d(2 * k, 2 * k, 1)
        self.dec_post_quant = nn.Conv2d(k, k, 1)
        self.dec_in = nn.Conv2d(k, last, 3, padding=1)
        self.dec_mid = nn.ModuleList(ResBlock(last, last, g) for _ in range(a["decoderBottleneckBlocks"]))
        self.dec_att = Attention(last, g) if self.attention else None
        ups = list(reversed(range(len(c))))
        self.dec_res = nn.ModuleList(ResBlock(c[i], base if i == 0 else c[i - 1], g) for i in ups)
        to = [base if i == 0 else c[i - 1] for i in ups]
        self.dec_up = nn.ModuleList(nn.Conv2d(t, t, 3, padding=1) for t in to)
        self.dec_refine = nn.ModuleList(ResBlock(base, base, g) for _ in range(a["decoderRefineBlocks"]))
        self.dec_gn = nn.GroupNorm(g, base, eps=1e-5) if self.end_norm else None
        self.dec_out = nn.Conv2d(base, 3, 3, padding=1)

    def encode(self, x):
        t = self.enc_in(x * 2 - 1)
        for res, down in zip(self.enc_res, self.enc_down):
            t = down(res(t))
        for b in self.enc_mid:
            t = b(t)
        if self.enc_att is not None:
            t = self.enc_att(t)
        t = self.enc_out(F.silu(self.enc_gn(t) if self.end_norm else t))
        y = self.enc_quant(t)
        mu, lv = y[:, : self.k], y[:, self.k:]
        return mu, torch.clamp(lv, *LOG_VAR_RANGE)

    def decode(self, yhat):
        t = self.dec_in(self.dec_post_quant(yhat))
        for b in self.dec_mid:
            t = b(t)
        if self.dec_att is not None:
            t = self.dec_att(t)
        for res, up in zip(self.dec_res, self.dec_up):
            t = up(F.interpolate(res(t), scale_factor=2, mode="nearest"))
        for b in self.dec_refine:
            t = b(t)
        t = self.dec_out(F.silu(self.dec_gn(t) if self.end_norm else t))
        return (torch.tanh(t) + 1) / 2


def build(spec, seed):
    """Model, Adam and a step on a fixed uniform batch: loss (10) of lib/papers/vscc/model.ts trainingLoss."""
    cfg = spec["config"]
    if cfg["method"] != "vscc":
        raise ValueError(f"the VSCC mirror implements the VSCC loss only, got method {cfg['method']!r}")
    torch.manual_seed(seed)
    model = Codec(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    b, s = cfg["batchSize"], cfg["imageSize"]
    x = torch.rand(b, 3, s, s)
    noise_var = 10 ** (-cfg["trainSnrDb"] / 10)
    prior = noise_var + cfg["cmc"]
    two_sigma2 = 2 * cfg["decoderSigma"] ** 2

    def step():
        opt.zero_grad()
        mu, log_var = model.encode(x)
        _, k, h, w = mu.shape
        energy = (mu ** 2).sum(dim=(1, 2, 3), keepdim=True)
        s_ = mu * torch.sqrt(h * w * k / (energy + 1e-12))
        z = s_ + torch.randn_like(s_) * math.sqrt(noise_var)
        yhat = z + torch.exp(0.5 * log_var) * torch.randn_like(s_)
        recon = ((model.decode(yhat) - x) ** 2).sum(dim=(1, 2, 3)) / two_sigma2
        post = torch.exp(log_var) + noise_var
        kl = 0.5 * (math.log(prior) - torch.log(post) + (s_ ** 2 + post) / prior - 1).sum(dim=(1, 2, 3))
        loss = (recon + kl).mean()
        loss.backward()
        opt.step()
        return loss.item()

    return model, step
