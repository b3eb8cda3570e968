"""P2 fwd with torchdiffeq's tsit5 (the peers' suite measures only dopri5): same inputs, protocol and JSON fields.

Usage (Debian's python3-torch, torchdiffeq 0.2.5's source on PYTHONPATH, the peers' folder for its problem definitions):
  PYTHONPATH=$TORCHDIFFEQ_SRC:$PEERS_DIR OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/torchdiffeq_tsit5.py --threads 1 --out part-1.json
"""
import argparse
import json
import statistics
import time

import torch
import torchdiffeq

import peer_problems as pp


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    t = torch.linspace(0.0, pp.P2_T_END, pp.P2_NT, dtype=torch.float64)
    for dtype in (torch.float32, torch.float64):
        f = pp.Lorenz(dtype)
        y0 = torch.tensor(pp.p2_y0_list(), dtype=torch.float64).to(dtype)
        tt = t.to(dtype)

        def run():
            f.nfe = 0
            with torch.no_grad():
                y = torchdiffeq.odeint(f, y0, tt, method="tsit5", rtol=pp.P2_RTOL, atol=pp.P2_ATOL)
            return f.nfe, float(y[-1].double().sum())

        run()  # warm-up
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            nfe, final_sum = run()
            times.append(1e3 * (time.perf_counter() - start))
        rows.append({"problem": "P2", "variant": "fwd-tsit5", "library": "torchdiffeq", "dtype": str(dtype).replace("torch.", ""),
                     "threads": args.threads, "median_ms": statistics.median(times), "min_ms": min(times), "times_ms": times,
                     "reps": args.reps, "nfe": nfe, "check": {"final_sum": final_sum}, "status": "ok"})
        print(rows[-1]["dtype"], rows[-1]["median_ms"], nfe, final_sum, flush=True)
    with open(args.out, "w") as fh:
        json.dump({"meta": {"script": "bench/peers/torchdiffeq_tsit5.py", "torch": torch.__version__}, "results": rows}, fh, indent=1)


if __name__ == "__main__":
    main()
