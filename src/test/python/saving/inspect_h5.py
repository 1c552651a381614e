"""Lists every group, dataset and attribute of an HDF5 file, reading each one fully with h5py.

Usage: inspect_h5.py FILE
Prints one line per object, in visiting order:
  G <path>                      a group
  D <path> <dtype> <dims,...>   a dataset (dims empty for a scalar)
  A <path> <key>=<value>        an attribute (strings decoded)
Reading everything makes h5py hit any broken object header (for example jhdf's
"bad object header version number"), which fails the script.
"""
import sys

import h5py
import numpy as np


def attrs(obj):
    for key in sorted(obj.attrs.keys()):
        value = obj.attrs[key]
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        print(f"A {obj.name} {key}={value}")


with h5py.File(sys.argv[1], "r") as f:
    print("G /")
    attrs(f)

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            obj[()]  # read the data too
            print(f"D {obj.name} {obj.dtype} {','.join(str(d) for d in obj.shape)}")
        else:
            print(f"G {obj.name}")
        attrs(obj)

    f.visititems(visit)
