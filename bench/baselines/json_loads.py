#!/usr/bin/env python3
"""Baseline: Python's json.loads on every frame of a capture, as a Python Upbit bot parses each message.

Usage: json_loads.py FILE [--passes N] [--limit FRAMES] [--str]

FILE is a JSONL capture ({"recv_ts", "frame"} per line) or a binary recording (UPBTREC header); the frames are
read into memory first (not timed). Then one warm-up pass and N timed passes each call json.loads(frame) on every
frame in order; the result is dropped (freed by reference counting; the cyclic GC stays on, as in a bot).
Each pass is timed by the wall clock and by the process's CPU time.
Frames are bytes by default -- Upbit sends binary WebSocket frames, so a bot gets bytes and json.loads decodes
them -- or already-decoded str with --str. Prints one JSON object on stdout.
"""

import argparse
import json
import os
import platform
import statistics
import struct
import sys
import time
import zlib

MAGIC = b"UPBTREC\0"


def read_frames(path, limit):
    """Exact frame bytes from a JSONL capture or a recording, in order (at most `limit` when given)."""
    frames = []
    with open(path, "rb") as f:
        head = f.read(8)
        f.seek(0)
        if head == MAGIC:
            data = f.read()
            version, = struct.unpack_from("<i", data, 8)
            if version != 1:
                sys.exit(f"json_loads.py: recording version {version} is not supported")
            pos = 20
            while pos + 13 <= len(data) and (limit is None or len(frames) < limit):
                _ns, _source, length = struct.unpack_from("<qBi", data, pos)
                end = pos + 13 + length + 4
                if length < 0 or end > len(data):
                    break  # torn tail
                frame = data[pos + 13:pos + 13 + length]
                crc, = struct.unpack_from("<I", data, pos + 13 + length)
                if zlib.crc32(frame) != crc:
                    break  # corrupt tail
                frames.append(frame)
                pos = end
        else:
            for line in f:
                if limit is not None and len(frames) >= limit:
                    break
                if not line.strip():
                    continue
                frames.append(json.loads(line)["frame"].encode("utf-8"))
    return frames


def machine():
    model = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def mix(frames):
    """Frames by message type (ty/type), with mean bytes -- computed after timing, not timed."""
    kinds = {}
    for frame in frames:
        try:
            obj = json.loads(frame)
            kind = (obj.get("ty") or obj.get("type") or "other") if isinstance(obj, dict) else "other"
        except ValueError:
            kind = "not_json"
        count, size = kinds.get(kind, (0, 0))
        kinds[kind] = (count + 1, size + len(frame))
    return {k: {"frames": c, "mean_bytes": round(s / c, 1)} for k, (c, s) in sorted(kinds.items())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (default 5)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first FRAMES frames")
    parser.add_argument("--str", dest="as_str", action="store_true", help="time json.loads on decoded str instead of bytes")
    args = parser.parse_args()
    if args.passes < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--passes and --limit must be at least 1")

    frames = read_frames(args.file, args.limit)
    if not frames:
        sys.exit("json_loads.py: no frames in " + args.file)
    total_bytes = sum(len(f) for f in frames)
    inputs = [f.decode("utf-8") for f in frames] if args.as_str else frames
    load_before = machine()["loadavg"]

    loads = json.loads
    clock = time.perf_counter_ns

    cpu_clock = time.process_time_ns
    cpu_totals = []

    def one_pass():
        cpu = cpu_clock()
        start = clock()
        for frame in inputs:
            loads(frame)
        wall = clock() - start
        cpu_totals.append(cpu_clock() - cpu)
        return wall

    warmup_ns = one_pass()
    cpu_totals.clear()
    totals = [one_pass() for _ in range(args.passes)]
    best, median = min(totals), statistics.median(totals)
    cpu_best = min(cpu_totals)
    n = len(frames)

    result = {
        "baseline": "python-json.loads",
        "what": "json.loads(frame) per frame, frames as " + ("str" if args.as_str else "bytes (as received)") + "; result dropped",
        "file": os.path.abspath(args.file),
        "frames": n,
        "bytes": total_bytes,
        "mean_frame_bytes": round(total_bytes / n, 1),
        "passes": args.passes,
        "warmup_total_ns": warmup_ns,
        "min_total_ns": best,
        "median_total_ns": int(median),
        "all_totals_ns": totals,
        "ns_per_frame_min": round(best / n, 1),
        "ns_per_frame_median": round(median / n, 1),
        "frames_per_s_min_time": round(n * 1e9 / best),
        "frames_per_s_median_time": round(n * 1e9 / median),
        "mb_per_s_min_time": round(total_bytes * 1e3 / best, 1),
        "cpu": {
            "what": "process CPU time (user+system) of the same passes: less sensitive than wall time to other load on the machine",
            "all_totals_ns": cpu_totals,
            "min_total_ns": cpu_best,
            "ns_per_frame_min": round(cpu_best / n, 1),
            "frames_per_s": round(n * 1e9 / cpu_best),
        },
        "mix": mix(frames),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "json_c_accelerated": json.scanner.c_make_scanner is not None,
        "machine": {**machine(), "loadavg_before": load_before},
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
