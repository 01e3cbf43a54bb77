"""Checks ONNX files written by `backprop export` with ONNX's own checker (full_check runs shape inference).

Usage: /usr/bin/python3 interop/onnx_check.py M.onnx [M2.onnx ...]   (Debian: apt-get install python3-onnx)
Exits 1 with the checker's message when a file is rejected or lacks what the export promises.
"""
import json
import sys

import onnx


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    props = {p.key: p.value for p in model.metadata_props}
    meta = json.loads(props["backprop"])
    assert model.ir_version == 7, model.ir_version
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 13)], model.opset_import
    assert [i.name for i in model.graph.input] == ["input"], model.graph.input
    expected = "probabilities" if meta["task"] == "classification" else "output"
    assert [o.name for o in model.graph.output] == [expected], model.graph.output
    if meta["task"] == "classification":
        assert json.loads(props["classes"]) == meta["classes"], props["classes"]
    ops = " ".join(n.op_type for n in model.graph.node)
    print(f"{path}: valid (IR {model.ir_version}, opset 13, {meta['task']}, {ops})")


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for path in sys.argv[1:]:
        try:
            check(path)
        except Exception as e:  # the checker raises its own types; any failure is a rejection
            print(f"{path}: rejected: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
