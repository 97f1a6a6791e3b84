"""The sample inputs of torch's OpInfo test database, as JSON-friendly data.

torch's own tests run every operator on the inputs its OpInfo lists
(`torch.testing._internal.common_methods_invocations.op_db`). This module dumps
those inputs so that the parity harness can run the same cases against the Swift
library. It only reads: the values are torch's, unchanged, and the op is never
called here.

Loaded by path like torch_ops.py, and runnable on its own with the torch venv's
python:

    python torch_opinfo.py --selftest
    python torch_opinfo.py --dump sum=sum clip=clamp softmax=softmax:with_dtype [--dtype float32]
                           [--reference] [--limit N]

`samples(requests, dtype_name, include_reference=False, limit_per_op=None, max_numel=65536)` returns,
per request `{"op": OUR_NAME, "opinfo": OPINFO_NAME, "variant": VARIANT}`, a dict

    {"op", "opinfo", "variant",            # as requested
     "found": bool,                        # whether op_db has that name and variant
     "dtype_supported": bool,              # the dtype is in op.supported_dtypes("cpu")
     "grad_dtype_supported": bool,         # ... and in op.supported_backward_dtypes("cpu")
     "supports_autograd", "supports_gradgrad", "supports_fwgrad",
     "supports_fwgrad_bwgrad", "check_batched_grad": bool,
     "samples": [sample, ...],
     "warnings": [str],                    # e.g. a generator rerun with requires_grad=False
     "error": str or None}                 # why the list stopped early or is empty

and each sample is

    {"input": V, "args": [V, ...], "kwargs": {name: V}, "note": sample.name or "",
     "source": "sample" | "reference",
     "output_process_fn_grad": bool,       # not the identity default: torch's gradient
                                           # tests compare a processed output
     "broadcasts_input": bool,
     "data_omitted": true}                 # only when a tensor's values were left out

or `{"error": str}` for a sample that could not be encoded. A value V is

    tensor        {"tensor": {"shape": [...], "dtype": "float64" | "float32" | "int64" | "bool" | ...,
                              "data": [flat row-major values], "requires_grad": bool,
                              "noncontiguous": bool}}
                  (bool data as 0/1; non-finite floats as the strings "nan", "inf", "-inf",
                  as the harness's fixture JSON writes them; complex data as [re, im] pairs;
                  a tensor of more than max_numel elements, 65536 by default, has
                  "data": null and "data_omitted": true, and so has its sample)
    bool, int, str, None     themselves
    float         itself if finite, else {"float": "nan" | "inf" | "-inf"} (a bare string
                  would be mistaken for a str argument such as reduction="mean")
    list, tuple, torch.Size  {"list": [V, ...]}
    torch.dtype   {"dtype": "float64"}
    anything else {"unsupported": "<type name>"}

Everything is deterministic: torch, random and numpy are seeded with 0 before each
op's sample_inputs and again before its reference_inputs. Nothing raises for one bad
op or sample; the problem is recorded instead.
"""
import json
import math
import numbers
import random
import sys
import traceback

import torch

_op_db = None


def _database():
    global _op_db
    if _op_db is None:
        # Imported lazily: it takes a few seconds and needs expecttest and hypothesis.
        from torch.testing._internal.common_methods_invocations import op_db
        _op_db = op_db
    return _op_db


def find_opinfo(name, variant=""):
    """The OpInfo of that name (or alias) and variant_test_name, or None."""
    variant = variant or ""
    db = _database()
    for op in db:
        if op.name == name and op.variant_test_name == variant:
            return op
    for op in db:
        if op.variant_test_name == variant and any(a.name == name for a in op.aliases):
            return op
    return None


def _seed():
    torch.manual_seed(0)
    random.seed(0)
    try:
        import numpy
        numpy.random.seed(0)
    except Exception:
        pass


def _identity_code():
    from torch.testing._internal.opinfo.core import SampleInput
    return SampleInput(torch.zeros(())).output_process_fn_grad.__code__


def _float(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _dtype_name(dtype):
    return str(dtype).replace("torch.", "")


# The largest tensor whose values are written (the elementwise ops' reference inputs
# hold a few tensors of a million elements, which made 87 MB of JSON per op).
DEFAULT_MAX_NUMEL = 65536


def encode_tensor(t, max_numel=DEFAULT_MAX_NUMEL):
    if t.layout != torch.strided:
        return {"unsupported": f"Tensor({t.layout})"}
    flat = t.detach().reshape(-1)
    if max_numel is not None and flat.numel() > max_numel:
        data = None
    elif t.dtype == torch.bool:
        data = [1 if v else 0 for v in flat.tolist()]
    elif t.dtype.is_complex:
        data = [[_float(v.real), _float(v.imag)] for v in flat.tolist()]
    elif t.dtype.is_floating_point:
        data = [_float(v) for v in flat.tolist()]
    else:
        data = flat.tolist()
    encoded = {"shape": list(t.shape), "dtype": _dtype_name(t.dtype), "data": data,
               "requires_grad": bool(t.requires_grad), "noncontiguous": not t.is_contiguous()}
    if data is None:
        encoded["data_omitted"] = True
    return {"tensor": encoded}


def encode(v, max_numel=DEFAULT_MAX_NUMEL):
    """One argument value as JSON-friendly data (see the module's documentation)."""
    if isinstance(v, torch.Tensor):
        return encode_tensor(v, max_numel)
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        x = float(v)
        return x if math.isfinite(x) else {"float": _float(x)}
    if isinstance(v, (list, tuple)):  # torch.Size is a tuple
        return {"list": [encode(item, max_numel) for item in v]}
    if isinstance(v, torch.dtype):
        return {"dtype": _dtype_name(v)}
    return {"unsupported": type(v).__name__}


def encode_sample(sample, source, identity, max_numel=DEFAULT_MAX_NUMEL):
    try:
        process = sample.output_process_fn_grad
        encoded = {
            "input": encode(sample.input, max_numel),
            "args": [encode(a, max_numel) for a in sample.args],
            "kwargs": {str(k): encode(v, max_numel) for k, v in sample.kwargs.items()},
            "note": sample.name or "",
            "source": source,
            "output_process_fn_grad": getattr(process, "__code__", None) is not identity,
            "broadcasts_input": bool(sample.broadcasts_input),
        }
        if '"data_omitted": true' in json.dumps(encoded):
            encoded["data_omitted"] = True
        return encoded
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}", "source": source}


def _key(encoded):
    """What makes two samples the same (the source does not)."""
    return json.dumps({k: v for k, v in encoded.items() if k != "source"}, sort_keys=True)


def _collect(op, source, dtype, limit, out, seen, identity, max_numel):
    """Appends the samples of sample_inputs or reference_inputs (`source`) to `out`,
    skipping those already seen. Returns (error or None, [warnings]).

    Some generators refuse requires_grad=True part-way (clamp's reference inputs make
    int64 tensors): such a generator is run again from the start with requires_grad=False,
    skipping the samples already taken (the seed makes the run repeat itself), and a
    warning says from which sample on no tensor requires grad."""
    make = op.sample_inputs if source == "sample" else op.reference_inputs
    problems = []
    taken = 0  # samples drawn from the generator, duplicates included
    for requires_grad in (True, False):
        _seed()
        try:
            iterator = iter(make("cpu", dtype, requires_grad=requires_grad))
            for _ in range(taken):
                next(iterator)
        except Exception as e:
            problems.append(f"{source}_inputs(requires_grad={requires_grad}): {type(e).__name__}: {e}")
            continue
        while limit is None or len(out) < limit:
            try:
                sample = next(iterator)
            except StopIteration:
                return None, problems
            except Exception as e:
                # A generator that raised cannot go on.
                problems.append(f"{source}_inputs(requires_grad={requires_grad}) stopped after {taken} samples: "
                                f"{type(e).__name__}: {e}")
                break
            taken += 1
            encoded = encode_sample(sample, source, identity, max_numel)
            key = _key(encoded)
            if key in seen:
                continue
            seen.add(key)
            out.append(encoded)
        else:
            return None, problems
    return "; ".join(problems), []


def samples(requests, dtype_name, include_reference=False, limit_per_op=None, max_numel=DEFAULT_MAX_NUMEL):
    """The OpInfo samples of each request, in the request's order (see the module's
    documentation for the format). A tensor of more than `max_numel` elements (None:
    no limit) is written without its values."""
    results = []
    try:
        dtype = getattr(torch, dtype_name)
        if not isinstance(dtype, torch.dtype):
            raise TypeError(f"{dtype_name} is not a torch dtype")
        identity = _identity_code()
        _database()
    except Exception as e:
        message = f"{type(e).__name__}: {e}"
        return [dict(_header(r), samples=[], error=message) for r in requests]

    for request in requests:
        result = _header(request)
        result["samples"] = []
        result["error"] = None
        results.append(result)
        try:
            op = find_opinfo(result["opinfo"], result["variant"])
            if op is None:
                result["error"] = f"no OpInfo {result['opinfo']!r} with variant {result['variant']!r}"
                continue
            result["found"] = True
            result["supports_autograd"] = bool(op.supports_autograd)
            result["supports_gradgrad"] = bool(op.supports_gradgrad)
            result["supports_fwgrad"] = bool(op.supports_forward_ad)
            result["supports_fwgrad_bwgrad"] = bool(op.supports_fwgrad_bwgrad)
            result["check_batched_grad"] = bool(op.check_batched_grad)
            result["dtype_supported"] = dtype in op.supported_dtypes("cpu")
            result["grad_dtype_supported"] = dtype in op.supported_backward_dtypes("cpu")
            if not result["dtype_supported"]:
                result["error"] = f"{dtype_name} is not among the OpInfo's cpu dtypes"
                continue
            seen = set()
            errors = []
            sources = ["sample", "reference"] if include_reference else ["sample"]
            for source in sources:
                error, warnings = _collect(op, source, dtype, limit_per_op, result["samples"], seen, identity,
                                           max_numel)
                if error:
                    errors.append(error)
                result["warnings"] += warnings
            result["error"] = "; ".join(errors) if errors else None
        except Exception as e:
            result["error"] = f"{type(e).__name__}: {e}"
    return results


def _header(request):
    return {"op": request.get("op"), "opinfo": request.get("opinfo"), "variant": request.get("variant") or "",
            "found": False, "supports_autograd": False, "supports_gradgrad": False, "supports_fwgrad": False,
            "supports_fwgrad_bwgrad": False, "check_batched_grad": False,
            "dtype_supported": False, "grad_dtype_supported": False, "warnings": []}


# MARK: - Standalone use


def _parse_request(text):
    """`OUR=OPINFO[:VARIANT]`, or `OPINFO[:VARIANT]` for the same name on both sides."""
    ours, _, theirs = text.partition("=")
    if not theirs:
        theirs = ours
    name, _, variant = theirs.partition(":")
    return {"op": ours.partition(":")[0], "opinfo": name, "variant": variant}


def selftest():
    """Dumps three ops and checks that the result is strict JSON that reads back equal."""
    requests = [{"op": "sum", "opinfo": "sum", "variant": ""},
                {"op": "clip", "opinfo": "clamp", "variant": ""},
                {"op": "cat", "opinfo": "cat", "variant": ""},
                {"op": "nonexistent", "opinfo": "no_such_op", "variant": ""}]
    for dtype_name in ("float64", "float32"):
        first = samples(requests, dtype_name, include_reference=True)
        text = json.dumps(first, allow_nan=False, sort_keys=True)
        assert json.loads(text) == json.loads(json.dumps(first, sort_keys=True)), "JSON does not round-trip"
        again = json.dumps(samples(requests, dtype_name, include_reference=True), allow_nan=False, sort_keys=True)
        assert text == again, "two dumps differ: the samples are not deterministic"
        by_op = {r["op"]: r for r in first}
        for name in ("sum", "clip", "cat"):
            r = by_op[name]
            assert r["found"] and r["error"] is None, (name, r["error"])
            assert r["samples"], f"{name}: no samples"
            assert not any("error" in s for s in r["samples"]), name
        assert not by_op["nonexistent"]["found"] and by_op["nonexistent"]["error"]
        # clamp's reference inputs carry NaN and infinities: they must be strings.
        assert '"nan"' in text or '"inf"' in text, "expected non-finite values in clamp's samples"
        # cat's input is a list of tensors.
        assert all("list" in s["input"] for s in by_op["cat"]["samples"])
        t = by_op["sum"]["samples"][0]["input"]["tensor"]
        assert t["dtype"] == dtype_name and t["requires_grad"] is True
        assert len(t["data"]) == math.prod(t["shape"])
        limited = samples(requests[:1], dtype_name, limit_per_op=2)
        assert len(limited[0]["samples"]) == 2
        print(f"{dtype_name}: " + ", ".join(f"{r['op']} {len(r['samples'])} samples" for r in first[:3])
              + f"; {len(text)} bytes of JSON")
    # The encoding of single values.
    assert encode(float("nan")) == {"float": "nan"} and encode(-math.inf) == {"float": "-inf"}
    assert encode(torch.Size([2, 3])) == {"list": [2, 3]} and encode((1, 2.5)) == {"list": [1, 2.5]}
    assert encode(torch.float32) == {"dtype": "float32"} and encode(True) is True and encode(None) is None
    assert encode(torch.device("cpu")) == {"unsupported": "device"}
    b = encode(torch.tensor([True, False]))["tensor"]
    assert b["dtype"] == "bool" and b["data"] == [1, 0]
    f = encode(torch.tensor([1.0, math.nan, -math.inf]).t())["tensor"]
    assert f["data"] == [1.0, "nan", "-inf"] and f["noncontiguous"] is False
    big = encode(torch.zeros(300, 300))["tensor"]
    assert big["data"] is None and big["data_omitted"] is True and big["shape"] == [300, 300]
    assert len(encode(torch.zeros(300, 300), max_numel=None)["tensor"]["data"]) == 90000
    n = encode(torch.zeros(2, 3).t())["tensor"]
    assert n["noncontiguous"] is True and n["shape"] == [3, 2]
    print("selftest passed")


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--selftest", action="store_true")
    parser.add_argument("--dump", nargs="*", metavar="OUR=OPINFO[:VARIANT]", default=[])
    parser.add_argument("--dtype", default="float64")
    parser.add_argument("--reference", action="store_true", help="add reference_inputs")
    parser.add_argument("--limit", type=int, default=None, help="at most this many samples per op")
    options = parser.parse_args(argv)
    if options.selftest:
        selftest()
    if options.dump:
        result = samples([_parse_request(t) for t in options.dump], options.dtype, options.reference, options.limit)
        json.dump(result, sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
    if not options.selftest and not options.dump:
        parser.print_help()
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except AssertionError:
        traceback.print_exc()
        sys.exit(1)
