"""PyTorch mirror of the codebook paper's VQ-VAE and its total loss (lib/papers/codebook/model.ts vqForward, losses.ts).

Same encoder (4x4 stride-2 convs, residual unit, 1x1 to D), nearest-codeword quantiser with a straight-through
gradient, decoder (3x3 conv, residual unit, two 4x4 stride-2 transposed convs, sigmoid), and loss terms: MSE, the
fixed-filter Gram loss at 3 scales, codebook and beta * commitment terms, -lambda_H * entropy of the soft index pmf
(temperature relative to the batch's mean nearest distance), lambda_C * the channel-aware loss with the design
channel's transition matrix (computed by the tfjs side and passed in), Adam.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

GRAM_SCALES = 3
GRAM_CHANNELS = 9


class Residual(nn.Module):
    """x + conv1x1(ReLU(conv3x3(ReLU(x)))), hidden width c/2."""

    def __init__(self, c):
        super().__init__()
        self.c3 = nn.Conv2d(c, c // 2, 3, padding=1)
        self.c1 = nn.Conv2d(c // 2, c, 1)

    def forward(self, x):
        return x + self.c1(F.relu(self.c3(F.relu(x))))


class VqModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        w, d, k = cfg["width"], cfg["D"], cfg["K"]
        self.enc_c1 = nn.Conv2d(3, w // 2, 4, stride=2, padding=1)
        self.enc_c2 = nn.Conv2d(w // 2, w, 4, stride=2, padding=1)
        self.enc_res = Residual(w)
        self.enc_out = nn.Conv2d(w, d, 1)
        self.codebook = nn.Parameter((2 * torch.rand(k, d) - 1) / k)
        self.dec_in = nn.Conv2d(d, w, 3, padding=1)
        self.dec_res = Residual(w)
        self.dec_up1 = nn.ConvTranspose2d(w, w // 2, 4, stride=2, padding=1)
        self.dec_up2 = nn.ConvTranspose2d(w // 2, 3, 4, stride=2, padding=1)

    def encode(self, x):
        h = F.relu(self.enc_c1(x - 0.5))
        h = F.relu(self.enc_c2(h))
        return self.enc_out(F.relu(self.enc_res(h)))

    def decode(self, zq):
        h = F.relu(self.dec_res(self.dec_in(zq)))
        h = F.relu(self.dec_up1(h))
        return torch.sigmoid(self.dec_up2(h))


def sobel_filter():
    """Per colour channel: the value and its Sobel x/y gradients (9 output maps), [cout, cin, 3, 3]."""
    ident = torch.tensor([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]])
    sx = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]) / 4
    sy = sx.t().clone()
    w = torch.zeros(GRAM_CHANNELS, 3, 3, 3)
    for c in range(3):
        for j, f in enumerate((ident, sx, sy)):
            w[c * 3 + j, c] = f
    return w


def gram_matrices(x, filt):
    out, cur = [], x
    for s in range(GRAM_SCALES):
        if s > 0:
            cur = F.avg_pool2d(cur, 2, 2)
        b, _, h, w = cur.shape
        f = F.conv2d(cur, filt, padding=1).reshape(b, GRAM_CHANNELS, h * w)
        out.append(f @ f.transpose(1, 2) / (GRAM_CHANNELS * h * w))
    return out


def squared_distances(z, cb):
    """||z_i - e_k||^2 / D, clamped at 0 (the expanded form can dip below 0 by rounding)."""
    zz = (z ** 2).sum(1, keepdim=True)
    ee = (cb ** 2).sum(1)[None, :]
    return F.relu(zz - 2 * (z @ cb.t()) + ee) / z.shape[1]


def build(spec, seed):
    """Model, Adam and a step on a fixed uniform batch: the total loss of lib/papers/codebook/model.ts vqForward."""
    cfg = spec["config"]
    torch.manual_seed(seed)
    model = VqModel(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    b, p, d, K = cfg["batchSize"], cfg["patchSize"], cfg["D"], cfg["K"]
    x = torch.rand(b, 3, p, p)
    transition = torch.tensor(spec["transition"], dtype=torch.float32).reshape(K, K)
    filt = sobel_filter()
    beta, lam_h, lam_c, lam_p, tau = cfg["beta"], cfg["lambdaH"], cfg["lambdaC"], cfg["lambdaP"], cfg["tau"]
    straight_through_pmf = cfg["entropyEstimator"] == "straight-through"
    with torch.no_grad():
        gram_x = gram_matrices(x, filt)  # the target's Grams are constants (x needs no gradient)

    def step():
        opt.zero_grad()
        z = model.encode(x)
        _, _, h, w = z.shape
        flat = z.permute(0, 2, 3, 1).reshape(-1, d)
        cb = model.codebook
        with torch.no_grad():
            idx = ((cb ** 2).sum(1)[None, :] - 2 * flat @ cb.t()).argmin(1)
        q = cb[idx]
        zq = flat + (q - flat).detach()  # straight-through to z
        xhat = model.decode(zq.reshape(b, h, w, d).permute(0, 3, 1, 2))
        recon = ((x - xhat) ** 2).mean()
        gram_y = gram_matrices(xhat, filt)
        perceptual = torch.stack([((gy - gx) ** 2).sum((1, 2)) for gy, gx in zip(gram_y, gram_x)]).sum(0).mean()
        if lam_p == 0:
            perceptual = perceptual.detach()
        dist = squared_distances(flat, cb) if lam_h > 0 else squared_distances(flat.detach(), cb.detach())
        scale = (dist.min(1).values.mean() + 1e-12).detach()
        pmf = torch.softmax(-dist / (scale * tau), dim=1).mean(0)
        if straight_through_pmf:
            hard = F.one_hot(dist.argmin(1), K).float().mean(0)
            pmf = pmf + (hard - pmf).detach()
        entropy = -(pmf * torch.log(torch.clamp(pmf, min=1e-12))).sum()
        ca_dist = squared_distances(flat.detach(), cb if lam_c > 0 else cb.detach())
        channel_aware = (transition[idx] * ca_dist).sum(1).mean()
        codebook_loss = ((q - flat.detach()) ** 2).mean()
        commitment = ((flat - q.detach()) ** 2).mean()
        loss = recon + lam_p * perceptual + codebook_loss + beta * commitment - lam_h * entropy + lam_c * channel_aware
        loss.backward()
        opt.step()
        return loss.item()

    return model, step
