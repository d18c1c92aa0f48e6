#!/usr/bin/python3
"""The machine's own floor for one stream's pacing: no JavaScript, no network, no RTSP.

A thread that does what the server's pacer does for a lone stream — sleep until 2 ms before each 50 ms deadline,
then busy-wait to it — and records how late it reaches each deadline. What is late here is the machine (the kernel,
the hypervisor, the other tenants of the host), not `rtsp serve`: a server cannot send a frame at a moment its
thread is not running. Prints the same statistics `rtsp bench` gives for deviation (p50 / p99 / max over 500
frames), how many frames were more than 1 ms late, and the latest wake-up from the sleep.

    python3 scripts/scheduling-floor.py [--frames 500] [--runs 1]
"""

import argparse
import math
import time

PERIOD_S = 0.050
SPIN_S = 0.002


def percentile(sorted_values, p):
    """Nearest rank (p in 0..100), as `percentile` in lib/client/frame-timing.ts computes it for `rtsp bench`."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def one_run(frames):
    lateness = []
    latest_wake = 0.0
    start = time.monotonic() + PERIOD_S
    for n in range(frames):
        due = start + n * PERIOD_S
        wake = due - SPIN_S
        # time.sleep is clock_nanosleep on CLOCK_MONOTONIC: no event loop, no garbage collector in the way.
        time.sleep(max(0.0, wake - time.monotonic()))
        now = time.monotonic()
        latest_wake = max(latest_wake, now - wake)
        while now < due:
            now = time.monotonic()
        lateness.append((now - due) * 1000)
    lateness.sort()
    return {
        "p50": percentile(lateness, 50),
        "p99": percentile(lateness, 99),
        "max": lateness[-1],
        "over1": sum(1 for late in lateness if late > 1),
        "latestWake": latest_wake * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=500, help="deadlines per run (default 500: 25 s)")
    parser.add_argument("--runs", type=int, default=1, help="runs, one line each (default 1)")
    args = parser.parse_args()
    if args.frames < 1 or args.runs < 1:
        parser.error("--frames and --runs must be at least 1")
    for _ in range(args.runs):
        r = one_run(args.frames)
        print(
            f"{args.frames} deadlines: lateness p50 {r['p50']:.3f} ms, p99 {r['p99']:.3f} ms, max {r['max']:.3f} ms; "
            f"{r['over1']} more than 1 ms late; latest wake-up {r['latestWake']:.3f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
