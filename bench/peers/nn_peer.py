"""Long-lived PyTorch peer of bench/nn.ts: builds the mirrors of the paper models and times their training steps.

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout (nothing else is printed there).
  {"cmd": "hello"}                                  -> {"torch": version, "threads": n, "blas": [...]}
  {"cmd": "build", "model": m, "spec": {...}}       -> {"params": scalars, "tensors": count, "sizes": sorted sizes}
  {"cmd": "steps", "model": m, "steps": n}          -> {"ms": [wall ms per step], "cpuMs": [process CPU ms per step],
                                                        "loss": last loss or null}
  {"cmd": "free", "model": m} / {"cmd": "quit"}     -> {"ok": true}
  {"cmd": "kernel-build", "case": c}                -> {"shape": output shape, "sum": checksum, "scale": its scale}
  {"cmd": "kernel-run", "id": c.id, "calls": n}     -> {"ms": [wall ms per call], "cpuMs": [process CPU ms per call]}
  {"cmd": "kernel-free", "id": c.id}                -> {"ok": true}
(the kernel-* commands serve bench/kernel-ceiling.ts: one GEMM or convolution of a paper model, see kernels.py)
Errors reply {"error": message}. The driver runs one side at a time (tfjs, then torch, ...), so the two sides never
compete for the core. One thread: torch.set_num_threads(1) and OPENBLAS_NUM_THREADS=1 (set before torch loads).
"""
import json
import math
import os
import sys
import time
import traceback

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import codebook  # noqa: E402
import e2ec  # noqa: E402
import kernels  # noqa: E402
import vscc  # noqa: E402

MIRRORS = {"vscc": vscc.build, "e2ec-sweep": e2ec.build, "e2ec-authors": e2ec.build, "codebook": codebook.build}


def blas_libraries():
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1].split("/")[-1] for line in f if "blas" in line})


def main():
    torch.set_num_threads(1)
    built = {}
    kernel_calls = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            cmd = msg["cmd"]
            if cmd == "hello":
                torch.randn(8, 8) @ torch.randn(8, 8)  # loads the BLAS
                out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_libraries()}
            elif cmd == "build":
                name = msg["model"]
                if name not in MIRRORS:
                    raise ValueError(f"no mirror for model {name!r}; known: {', '.join(MIRRORS)}")
                model, step = MIRRORS[name](msg["spec"], msg.get("seed", 1))
                built[name] = step
                ps = [p for p in model.parameters() if p.requires_grad]
                out = {"params": sum(p.numel() for p in ps), "tensors": len(ps), "sizes": sorted(p.numel() for p in ps)}
            elif cmd == "steps":
                step = built[msg["model"]]
                ms, cpu, loss = [], [], float("nan")
                for _ in range(int(msg["steps"])):
                    c0, t0 = time.process_time(), time.perf_counter()
                    loss = step()
                    ms.append(1000 * (time.perf_counter() - t0))
                    cpu.append(1000 * (time.process_time() - c0))
                out = {"ms": ms, "cpuMs": cpu, "loss": loss if math.isfinite(loss) else None}
            elif cmd == "kernel-build":
                case = msg["case"]
                call, to_tfjs = kernels.build(case)
                kernel_calls[case["id"]] = call
                out = kernels.check(call, to_tfjs)
            elif cmd == "kernel-run":
                call = kernel_calls[msg["id"]]
                ms, cpu = [], []
                with torch.no_grad():
                    for _ in range(int(msg["calls"])):
                        c0, t0 = time.process_time(), time.perf_counter()
                        call()
                        ms.append(1000 * (time.perf_counter() - t0))
                        cpu.append(1000 * (time.process_time() - c0))
                out = {"ms": ms, "cpuMs": cpu}
            elif cmd == "kernel-free":
                kernel_calls.pop(msg["id"], None)
                out = {"ok": True}
            elif cmd == "free":
                built.pop(msg["model"], None)
                out = {"ok": True}
            elif cmd == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return
            else:
                raise ValueError(f"unknown cmd {cmd!r}")
        except Exception as err:  # reported to the driver, which fails loudly
            out = {"error": f"{type(err).__name__}: {err}", "trace": traceback.format_exc()}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
