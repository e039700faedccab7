"""PyTorch side of the nn bench's kernel ceiling (bench/kernel-ceiling.ts): the same GEMMs and 3x3 convolutions.

A case arrives as bench/kernel-ceiling.ts's CeilingCase object. Operands are filled exactly as the tfjs side fills
them (v[i] = sin(0.37 i + 1.3 operand) over the flat index of the tfjs layout, computed in float64, stored float32),
then moved to torch's layout (NCHW inputs, OIHW filters). The calls are the ones autograd makes in a training step:
torch.matmul on (transposed) views for the GEMMs, F.conv2d for the forward convolution and
aten.convolution_backward with one output selected for the input and filter gradients. `check` returns the output,
moved back to the tfjs layout, as its shape and the weighted checksum of kernel-ceiling.ts's outputChecksum.
"""
import torch
import torch.nn.functional as F


def _values(shape, operand):
    n = 1
    for s in shape:
        n *= s
    i = torch.arange(n, dtype=torch.float64)
    return torch.sin(0.37 * i + 1.3 * operand).float().reshape(shape)


def _nchw(t):
    return t.permute(0, 3, 1, 2).contiguous()


def _oihw(t):
    return t.permute(3, 2, 0, 1).contiguous()


def build(case):
    """Returns (call, to_tfjs): call() runs the kernel once; to_tfjs(out) is its output in the tfjs layout."""
    if case["kind"] == "matmul":
        m, k, n, ta, tb = case["m"], case["k"], case["n"], case["transposeA"], case["transposeB"]
        a = _values([k, m] if ta else [m, k], 0)
        b = _values([n, k] if tb else [k, n], 1)
        av = a.t() if ta else a
        bv = b.t() if tb else b
        return (lambda: torch.matmul(av, bv)), (lambda out: out)
    if case["kind"] != "conv":
        raise ValueError(f"case kind must be 'matmul' or 'conv', got {case['kind']!r}")
    bsz, size, ci, co, kk = case["batch"], case["size"], case["inChannels"], case["outChannels"], case["kernel"]
    pad = kk // 2
    x = _nchw(_values([bsz, size, size, ci], 0))
    w_hwio = [kk, kk, ci, co]
    y_shape = [bsz, size, size, co]
    args = ([1, 1], [pad, pad], [1, 1], False, [0, 0], 1)
    p = case["pass"]
    if p == "forward":
        w = _oihw(_values(w_hwio, 1))
        return (lambda: F.conv2d(x, w, padding=pad)), (lambda out: out.permute(0, 2, 3, 1))
    if p == "input-grad":
        dy = _nchw(_values(y_shape, 0))
        w = _oihw(_values(w_hwio, 1))
        xs = torch.empty(bsz, ci, size, size)  # only its shape is read
        mask = [True, False, False]
        return (lambda: torch.ops.aten.convolution_backward(dy, xs, w, None, *args, mask)[0]), \
            (lambda out: out.permute(0, 2, 3, 1))
    if p == "filter-grad":
        dy = _nchw(_values(y_shape, 1))
        w = torch.empty(co, ci, kk, kk)  # only its shape is read
        mask = [False, True, False]
        return (lambda: torch.ops.aten.convolution_backward(dy, x, w, None, *args, mask)[1]), \
            (lambda out: out.permute(2, 3, 1, 0))
    raise ValueError(f"conv pass must be forward, input-grad or filter-grad, got {p!r}")


def check(call, to_tfjs):
    """Output shape (tfjs layout), the checksum sum_i ((i mod 7) - 3) out_i and its scale sqrt(sum_i (...)^2)."""
    with torch.no_grad():
        o = to_tfjs(call())
    out = o.contiguous().reshape(-1).double()
    w = (torch.arange(out.numel()) % 7 - 3).double()
    t = w * out
    return {"shape": list(o.shape), "sum": float(t.sum()), "scale": float(t.square().sum().sqrt())}
