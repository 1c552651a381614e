"""Reads a TensorBoard log folder with tensorboard's own event reader (EventAccumulator) and prints
one JSON object: {"train": {tag: [[step, value], ...]}, "validation": {...}}.

Usage: tensorboard_read.py LOGDIR

"""
import json
import os
import sys
import types

# TensorBoard's own TF-free record reader (what `tensorboard` uses without TensorFlow): importing
# TensorFlow would only add seconds.
sys.modules["tensorboard.compat.notf"] = types.ModuleType("tensorboard.compat.notf")

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def read(folder):
    acc = EventAccumulator(folder)
    acc.Reload()
    return {tag: [[e.step, e.value] for e in acc.Scalars(tag)] for tag in acc.Tags()["scalars"]}


if __name__ == "__main__":
    root = sys.argv[1]
    print(json.dumps({part: read(os.path.join(root, part)) for part in ("train", "validation")}))
