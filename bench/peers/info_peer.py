"""Long-lived numpy peer of bench/info.ts: the same Blahut-Arimoto and Sinkhorn iterations as lib/info, timed.

Protocol (one JSON line each way, as nn_peer.py):
  {"cmd": "hello"}                                        -> {"numpy": version, "blas": [...]}
  {"cmd": "setup", "n": n, "beta": b}                     -> {"ok": true}   (the problem of bench/info.ts at size n)
  {"cmd": "time", "n": n, "kernel": "ba"|"sk", "iters": k} -> {"us": wall, "cpuUs": process CPU µs per iteration}
  {"cmd": "quit"}
The problem: p = 0.05 + U(0,1) normalised (numpy's generator, seed n), K(x,y) = exp(-beta ((x - y)/(n - 1))^2).
"""
import json
import math
import os
import sys
import time
import traceback

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402


def blas_libraries():
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1].split("/")[-1] for line in f if "blas" in line})


class Problem:
    def __init__(self, n, beta):
        rng = np.random.default_rng(n)
        p = 0.05 + rng.random(n)
        self.p = p / p.sum()
        i = np.arange(n)
        self.K = np.exp(-beta * ((i[:, None] - i[None, :]) / (n - 1)) ** 2)
        self.KT = self.K.T
        self.q = np.full(n, 1.0 / n)
        self.u = np.ones(n)
        self.v = np.ones(n)

    def ba(self):
        z = self.K @ self.q
        c = self.KT @ (self.p / z)
        math.log(c.max())  # the same bound on Blahut's gap as ours (one log per iteration)
        q = self.q * c
        q[q < 1e-280] = 0  # ours flushes dying letters too
        self.q = q

    def sinkhorn(self):
        # POT's sinkhorn_knopp inner loop, with the marginal error every iteration as ours
        u = self.p / (self.K @ self.v)
        ktu = self.KT @ u
        np.abs(self.v * ktu - self.p).max()
        self.v = self.p / ktu
        self.u = u


def main():
    problems = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            cmd = msg["cmd"]
            if cmd == "hello":
                np.ones((8, 8)) @ np.ones(8)
                out = {"numpy": np.__version__, "blas": blas_libraries()}
            elif cmd == "setup":
                problems[int(msg["n"])] = Problem(int(msg["n"]), float(msg["beta"]))
                out = {"ok": True}
            elif cmd == "time":
                pr = problems[int(msg["n"])]
                f = pr.ba if msg["kernel"] == "ba" else pr.sinkhorn
                iters = int(msg["iters"])
                c0, t0 = time.process_time(), time.perf_counter()
                for _ in range(iters):
                    f()
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                out = {"us": wall / iters * 1e6, "cpuUs": cpu / iters * 1e6}
            elif cmd == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return
            else:
                raise ValueError(f"unknown cmd {cmd!r}")
        except Exception as err:
            out = {"error": f"{type(err).__name__}: {err}", "trace": traceback.format_exc()}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
