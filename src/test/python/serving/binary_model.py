"""Writes a SavedModel whose signature takes and gives byte strings, and prints what it returns.

Usage: binary_model.py OUT_DIR BASE64...

serving_default: raw (DT_STRING [None]) -> length (DT_INT32, bytes per string),
echo_bytes (DT_STRING, raw + b"!") and upper (DT_STRING, ASCII upper case of raw).
Prints a JSON list, one object per input string, of the outputs as TF computed them
(strings as base64), for the test to compare with the server's replies.
"""

import base64
import json
import sys

import tensorflow as tf


class Binary(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="raw")])
    def serve(self, raw):
        return {
            "length": tf.strings.length(raw),
            "echo_bytes": tf.strings.join([raw, tf.fill(tf.shape(raw), "!")]),
            "upper": tf.strings.upper(raw),
        }


out_dir = sys.argv[1]
module = Binary()
tf.saved_model.save(module, out_dir, signatures={"serving_default": module.serve})
loaded = tf.saved_model.load(out_dir).signatures["serving_default"]
raw = [base64.b64decode(a) for a in sys.argv[2:]]
got = loaded(raw=tf.constant(raw))
rows = []
for i in range(len(raw)):
    rows.append(
        {
            "length": int(got["length"][i].numpy()),
            "echo_bytes": base64.b64encode(got["echo_bytes"][i].numpy()).decode(),
            "upper": base64.b64encode(got["upper"][i].numpy()).decode(),
        }
    )
print(json.dumps(rows))
