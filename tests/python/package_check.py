#!/usr/bin/env python3
"""Calls the installed video2tfrecord_net package as a user would (run by a venv's python) and prints, as JSON, what
came back: results, the records read back with read() (with the frame index each frame draws as bits, read from its
pixels), and the messages of the errors raised.

    package_check.py original SRC OUT     the original's call, then read()
    package_check.py convert SRC OUT LABELS CLIPS
    package_check.py errors SRC OUT
    package_check.py interrupt SRC OUT    prints "started" and waits for SIGINT during convert, then resumes
    package_check.py tfspec OUT LAYOUT FRAMES   feature_spec checked against the records
"""

import json
import os
import sys

import numpy as np

import video2tfrecord_net as v2t

BITS = 10


def pattern_index(frame):
    scale = 65535.0 if frame.dtype == np.uint16 else 255.0
    height, width = frame.shape[0], frame.shape[1]
    index = 0
    for bit in range(BITS):
        x, y = int((bit + 0.5) * width / BITS), height // 8
        if frame[max(0, y - 1):y + 2, max(0, x - 1):x + 2, :3].astype(np.float64).mean() / scale > 0.5:
            index |= 1 << bit
    return index


def describe(record):
    return {
        "id": record["id"], "path": record["path"], "label": record["label"], "label_text": record["label_text"],
        "caption": record["caption"], "source_id": record["source_id"],
        "clip_us": list(record["clip_us"]) if record["clip_us"] else None,
        "shape": list(record["frames"].shape), "dtype": str(record["frames"].dtype),
        "format": record["image_format"], "layout": record["layout"],
        "indices": record["indices"].tolist(), "timestamps": len(record["timestamps_us"]),
        "pattern": [pattern_index(f) for f in record["frames"]],
    }


def result_json(result):
    return {"converted": result.converted, "total": result.total, "complete": result.complete,
            "files": [[os.path.basename(f.path), f.records] for f in result.files],
            "failures": [[os.path.basename(f.path), f.status, f.reason] for f in result.failures]}


def raw_keys(out):
    _, _, data = next(iter(v2t._reader.serialized_records(out)))
    context, lists = v2t._reader.raw_features(data)
    return sorted(context), {key: len(values[0]) if kind == "bytes" else list(values)
                             for key, (kind, values) in context.items() if key in ("blob/0", "height", "width", "depth")}


def main(mode, *args):
    if mode == "original":
        source, out = args
        result = v2t.convert_videos_to_tfrecord(source, out, n_videos_in_record=2, n_frames_per_video=4,
                                                file_suffix="*.mp4", width=64, height=48)
        keys, values = raw_keys(out)
        return {"result": result_json(result), "records": [describe(r) for r in v2t.read(out)], "keys": keys,
                "values": values, "files": sorted(os.listdir(out))}
    if mode == "convert":
        source, out, labels, clips = args
        first = v2t.convert(source, os.path.join(out, "labels"), frames=3, size=(48, 32), labels=labels,
                            missing_label="keep", progress=False)
        second = v2t.convert(source, os.path.join(out, "clips"), frames=2, size=(48, 32), clips=clips,
                             layout="sequence", compression="gzip", progress=False)
        return {"labels": result_json(first), "label_records": [describe(r) for r in v2t.read(os.path.join(out, "labels"))],
                "clips": result_json(second), "clip_records": [describe(r) for r in v2t.read(os.path.join(out, "clips"))]}
    if mode == "errors":
        source, out = args
        messages = {}
        for name, options in [("frames", {"frames": "abc"}), ("size", {"size": [1, 2, 3]}),
                              ("layout", {"layout": "sequence", "encoding": "raw"})]:
            try:
                v2t.convert(source, out, progress=False, **options)
                messages[name] = None
            except v2t.ConversionError as e:
                messages[name] = [str(e), e.exit_code]
        try:
            v2t.convert(source, out, frame=3)
        except TypeError as e:
            messages["unknown"] = str(e)
        try:
            v2t.convert(os.path.join(source, "missing"), out, progress=False)
        except v2t.ConversionError as e:
            messages["missing"] = [str(e), e.exit_code]
        # A binary that is not there (as in an install without one): one line saying which wheel to use.
        os.environ["VIDEO2TFRECORD_BINARY"] = os.path.join(out, "no-such-binary")
        try:
            v2t.convert(source, out, progress=False)
        except v2t.BinaryNotFound as e:
            messages["binary"] = str(e)
        finally:
            del os.environ["VIDEO2TFRECORD_BINARY"]
        return messages
    if mode == "interrupt":
        source, out = args
        print("started", flush=True)
        try:
            v2t.convert(source, out, frames="all", encoding="png", videos_per_file=2, jobs=1, progress=False)
            interrupted = False
        except KeyboardInterrupt:
            interrupted = True
        resumed = v2t.convert(source, out, frames="all", encoding="png", videos_per_file=2, jobs=1, resume=True,
                              progress=False)
        return {"interrupted": interrupted, "resumed": result_json(resumed)}
    if mode == "orphan":
        # Converts until this process is killed from outside (SIGKILL): the test then looks for the converter.
        source, out = args
        print("started", flush=True)
        v2t.convert(source, out, frames="all", encoding="png", videos_per_file=2, jobs=1, progress=False)
        return {"finished": True}
    if mode == "tfspec":
        out, layout, frames, flags = args
        from video2tfrecord_net.tf import feature_spec
        context_spec, sequence_spec = feature_spec(layout, int(frames), **{f: True for f in flags.split(",") if f})
        problems = []
        for _, _, data in v2t._reader.serialized_records(out):
            context, lists = v2t._reader.raw_features(data)
            kinds = {"string": "bytes", "int64": "int64", "float": "float"}
            for key, (kind, count, default) in context_spec.items():
                have = context.get(key)
                if have is None and default is not None:
                    continue
                if have is None or have[0] != kinds[kind] or (count is not None and len(have[1]) != count):
                    problems.append(f"context {key}: wanted {kind}×{count}, got {have and (have[0], len(have[1]))}")
            for key, (kind, count) in sequence_spec.items():
                entries = lists.get(key)
                if not entries or any(e[0] != kinds[kind] or (count is not None and len(e[1]) != count) for e in entries):
                    problems.append(f"feature list {key}: wanted {kind}×{count} per entry")
        required = sum(1 for _, _, default in context_spec.values() if default is None)
        return {"problems": problems, "keys": len(context_spec) + len(sequence_spec), "required": required}
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
