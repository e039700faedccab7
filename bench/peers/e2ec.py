"""PyTorch mirror of the E2EC model and its training surrogate (lib/papers/e2ec/model.ts e2ecSurrogate, layers.ts).

Same MLPs (Linear -> ReLU -> LayerNorm(eps 1e-5) between layers, Xavier-normal gain 0.1, zero bias), embeddings,
classifiers, sampling (length ~ Cat, bits ~ Bern, K samples per digit, truncation, BSC on the sent bits), loss terms
(CE, lambda * E[l], entropy bonus, grounding branch: Gaussian z_c, its CE, distillation, 0.01 * MSE), the
score-function surrogate with its baseline ('aux', 'batchMean', 'leaveOneOut', 'none') and Adam with coupled weight
decay. Sampling uses torch's batched samplers instead of a loop over the batch.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_DIM = 784
CLASSES = 10


def _xavier(lin, gain=0.1):
    nn.init.xavier_normal_(lin.weight, gain=gain)
    nn.init.zeros_(lin.bias)
    return lin


class Mlp(nn.Module):
    """in -> h1 -> ReLU -> LN -> h2 -> ReLU -> LN -> out (initMlp / mlp); `layers` < len(dims) - 1 stops early."""

    def __init__(self, dims):
        super().__init__()
        self.lins = nn.ModuleList(_xavier(nn.Linear(dims[i], dims[i + 1])) for i in range(len(dims) - 1))
        self.norms = nn.ModuleList(nn.LayerNorm(dims[i + 1], eps=1e-5) for i in range(len(dims) - 2))

    def forward(self, x, layers=None):
        n = len(self.lins) if layers is None else layers
        h = x
        for i in range(n):
            h = self.lins[i](h)
            if i + 1 < n:
                h = self.norms[i](F.relu(h))
        return h


class E2ec(nn.Module):
    """initE2ec: length net, auxiliary (reg) net, content net, embeddings, classifier(s)."""

    def __init__(self, cfg):
        super().__init__()
        h1, h2 = cfg["hidden"]
        d, n = cfg["embedDim"], cfg["maxLength"]
        self.shared = cfg["sharedTrunk"]
        if self.shared:
            # One trunk 784 -> h1 -> h2 (ReLU + LN after each) with two linear heads (the tfjs model drops trunk.l2).
            self.trunk = Mlp([INPUT_DIM, h1, h2])
            self.trunk_norm = nn.LayerNorm(h2, eps=1e-5)
            self.len_head = _xavier(nn.Linear(h2, n))
            self.reg_head = _xavier(nn.Linear(h2, 2 * d))
        else:
            self.len = Mlp([INPUT_DIM, h1, h2, n])
            self.reg = Mlp([INPUT_DIM, h1, h2, 2 * d])
        c1, c2 = cfg["contentHidden"]
        self.content = Mlp([2 * d, c1, c2, n])
        self.emb = nn.Parameter(0.1 * torch.randn(2 * n, d))
        self.cls = Mlp([d, 256, CLASSES])
        self.clsc = Mlp([d, 256, CLASSES]) if cfg["grounding"] else None

    def encode(self, x):
        if self.shared:
            h = self.trunk_norm(F.relu(self.trunk(x)))
            len_logits, mu_s = self.len_head(h), self.reg_head(h)
        else:
            len_logits, mu_s = self.len(x), self.reg(x)
        return len_logits, self.content(mu_s), mu_s


def build(spec, seed):
    """Model, Adam and a step on a fixed random batch: the surrogate of lib/papers/e2ec/model.ts e2ecSurrogate."""
    cfg = spec["config"]
    torch.manual_seed(seed)
    model = E2ec(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weightDecay"])
    bsz, n, d, k = cfg["batchSize"], cfg["maxLength"], cfg["embedDim"], cfg["samples"]
    rows = bsz * k
    lam, eps, temp = cfg["lambda"], cfg["eps"], cfg["temperature"]
    if cfg["grounding"] and lam * d * math.log(bsz) >= 1e-3:
        raise ValueError("this configuration adds the mixture-MI term (lambda * d * log B >= 1e-3): "
                         "the mirror lacks it")
    x = (torch.rand(bsz, INPUT_DIM) - 0.1307) / 0.3081
    y = torch.randint(0, CLASSES, (bsz,))
    yk = y.repeat_interleave(k)
    ls = torch.arange(n, dtype=torch.float32)
    pos = torch.arange(n)

    def tile(t):
        return t.repeat_interleave(k, dim=0) if k > 1 else t

    def step():
        opt.zero_grad()
        len_logits, bit_logits, mu_s = model.encode(x)
        log_pi = F.log_softmax(len_logits, dim=1)
        pi = torch.exp(log_pi)
        bit_p = torch.sigmoid(bit_logits)
        with torch.no_grad():
            l0 = torch.multinomial(tile(pi), 1).squeeze(1)  # l in 0..N-1; l + 1 bits are sent
            content = torch.bernoulli(tile(bit_p))
            valid = pos[None, :] <= l0[:, None]
            flips = (torch.rand(rows, n) < eps) & valid
            received = (content.long() ^ flips.long())
            sel = torch.zeros(rows, n, 2)
            sel.scatter_(2, received.unsqueeze(2), valid.float().unsqueeze(2))
            sel = sel.reshape(rows, 2 * n)
        xhat = sel @ model.emb
        logits = model.cls(xhat)
        dist = F.cross_entropy(logits, yk, reduction="none")
        bit_logits_k = tile(bit_logits)
        log_prob = (tile(log_pi) * F.one_hot(l0, n)).sum(1) + (content * bit_logits_k - F.softplus(bit_logits_k)).sum(1)
        rate = (pi * ls).sum(1).mean()
        entropy = (-(pi * log_pi).sum(1)).mean() + (F.softplus(bit_logits) - bit_p * bit_logits).mean()
        loss = dist.mean() + lam * rate - cfg["entropyWeight"] * entropy
        baseline = 0
        if cfg["grounding"]:
            mu, s = mu_s[:, :d], mu_s[:, d:]
            sigma = F.softplus(s - 5) + 1e-6
            zc = mu + sigma * torch.randn(bsz, d)
            logits_c = model.clsc(zc)
            dist_c = F.cross_entropy(logits_c, y, reduction="none")
            q = tile(torch.softmax(logits_c.detach() / temp, dim=1))
            kd = (q * (torch.log(q + 1e-12) - F.log_softmax(logits / temp, dim=1))).sum(1).mean()
            ground = 0.01 * ((xhat - tile(zc.detach())) ** 2).mean()
            loss = loss + dist_c.mean() + kd + ground
            if cfg["baseline"] == "aux":
                baseline = tile(dist_c)
        if cfg["baseline"] == "batchMean":
            baseline = dist.mean()
        elif cfg["baseline"] == "leaveOneOut":
            dk = dist.reshape(bsz, k)
            baseline = ((dk.sum(1, keepdim=True) - dk) / (k - 1)).reshape(rows)
        surrogate = loss + ((dist - baseline).detach() * log_prob).mean()
        surrogate.backward()
        opt.step()
        return surrogate.item()

    return model, step
