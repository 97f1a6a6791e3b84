"""Surveys torch's OpInfo samples for the ops of the parity harness's op table (and those
being added), for docs/opinfo-mapping-draft.md. Run with the torch venv's python:

    $(bash tools/venv-path.sh)/bin/python tools/opinfo-survey.py > /tmp/survey.md

It dumps every mapped OpInfo with Sources/gen-fixtures/torch_opinfo.py (float64,
sample_inputs; reference_inputs only counted) and prints one markdown section per op:
sample counts, what the samples use, and which of those our op cannot express yet.
"""
import collections
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "torch_opinfo", os.path.join(HERE, "..", "Sources", "gen-fixtures", "torch_opinfo.py"))
oi = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oi)

# Our op -> the OpInfos (name, variant) whose samples it could run.
EXISTING = {
    "add": [("add", ""), ("__radd__", "")], "sub": [("sub", ""), ("rsub", ""), ("__rsub__", "")],
    "mul": [("mul", ""), ("__rmul__", "")],
    "div": [("div", "no_rounding_mode"), ("true_divide", ""), ("__rdiv__", "")],
    "pow": [("pow", ""), ("__rpow__", "")], "neg": [("neg", "")], "square": [("square", "")],
    "exp": [("exp", "")], "log": [("log", "")], "sqrt": [("sqrt", "")], "sin": [("sin", "")], "cos": [("cos", "")],
    "tanh": [("tanh", "")], "sigmoid": [("sigmoid", "")], "relu": [("nn.functional.relu", "")], "abs": [("abs", "")],
    "clip": [("clamp", ""), ("clamp_min", ""), ("clamp_max", "")],
    "maximum": [("maximum", "")], "minimum": [("minimum", "")], "where": [("where", "")],
    "log1p": [("log1p", "")], "expm1": [("expm1", "")], "tan": [("tan", "")],
    "softplus": [("nn.functional.softplus", "")], "leaky_relu": [("nn.functional.leaky_relu", "")],
    "elu": [("nn.functional.elu", "")], "gelu": [("nn.functional.gelu", "")], "gelu_tanh": [("nn.functional.gelu", "")],
    "silu": [("nn.functional.silu", "")], "dropout": [("nn.functional.dropout", "")],
    "dropout_eval": [("nn.functional.dropout", "")],
    "greater": [("gt", "")], "less": [("lt", "")], "greater_equal": [("ge", "")], "less_equal": [("le", "")],
    "equal": [("eq", "")], "not_equal": [("ne", "")],
    "sum": [("sum", "")], "mean": [("mean", "")],
    "max": [("amax", ""), ("max", "reduction_no_dim"), ("max", "reduction_with_dim")],
    "min": [("amin", ""), ("min", "reduction_no_dim"), ("min", "reduction_with_dim")],
    "logsumexp": [("logsumexp", "")], "argmax": [("argmax", "")], "argmin": [("argmin", "")],
    "var": [("var", ""), ("var", "unbiased")], "std": [("std", ""), ("std", "unbiased")],
    "softmax": [("softmax", ""), ("softmax", "with_dtype")],
    "log_softmax": [("log_softmax", ""), ("log_softmax", "with_dtype")],
    "softmax_cross_entropy": [("nn.functional.cross_entropy", "")],
    "binary_cross_entropy_with_logits": [("nn.functional.binary_cross_entropy_with_logits", "")],
    "binary_cross_entropy": [("nn.functional.binary_cross_entropy", "")],
    "mean_squared_error": [("nn.functional.mse_loss", "")], "huber_loss": [("nn.functional.huber_loss", "")],
    "smooth_l1_loss": [("nn.functional.smooth_l1_loss", "")],
    "reshape": [("reshape", "")], "broadcast_to": [("broadcast_to", ""), ("expand", "")],
    "sum_to": [("sum_to_size", "")], "unsqueeze": [("unsqueeze", "")], "expand_dims": [("unsqueeze", "")],
    "squeeze": [("squeeze", ""), ("squeeze", "multiple")], "flatten": [("flatten", "")],
    "cat": [("cat", "")], "concatenate": [("cat", "")], "stack": [("stack", "")],
    "split": [("split", ""), ("split", "list_args"), ("split_with_sizes", "")],
    "matmul": [("matmul", ""), ("__rmatmul__", "")], "transpose": [("permute", "")],
    "linear": [("nn.functional.linear", "")], "linear_nobias": [("nn.functional.linear", "")],
    "conv2d": [("nn.functional.conv2d", "")], "conv2d_nobias": [("nn.functional.conv2d", "")],
    "conv_transpose2d": [("nn.functional.conv_transpose2d", "")],
    "conv_transpose2d_nobias": [("nn.functional.conv_transpose2d", "")],
    "max_pool2d": [("nn.functional.max_pool2d", "")], "avg_pool2d": [("nn.functional.avg_pool2d", "")],
    "im2col": [("nn.functional.unfold", "")], "col2im": [],
    "batch_norm": [("nn.functional.batch_norm", ""), ("nn.functional.batch_norm", "without_cudnn")],
    "layer_norm": [("nn.functional.layer_norm", "")], "embedding": [("nn.functional.embedding", "")],
}
NEW = {
    **{n: [(n, "")] for n in "reciprocal rsqrt sign erf erfc atan2 asin acos atan sinh cosh asinh acosh atanh "
       "log2 log10 exp2 prod cumsum flip chunk unbind gather".split()},
    **{n: [("nn.functional." + n, "")] for n in "hardtanh relu6 selu celu mish softsign logsigmoid hardsigmoid "
       "hardswish l1_loss nll_loss cross_entropy".split()},
    "clamp": [("clamp", "")],
    "norm": [("norm", ""), ("norm", "fro"), ("norm", "inf"), ("norm", "nuc"), ("linalg.vector_norm", "")],
    "softmin": [("nn.functional.softmin", ""), ("nn.functional.softmin", "with_dtype")],
    "addmm": [("addmm", ""), ("addmm", "decomposed")],
}

# The OpInfo callable's positional parameters after the sample's `input`, in order (the
# OpInfo's own convention: where's op is `lambda self, condition, other`, embedding's
# `lambda weight, idx`).
POSITIONAL = {
    "add": ["other"], "sub": ["other"], "rsub": ["other"], "mul": ["other"], "div": ["other"],
    "true_divide": ["other"], "pow": ["exponent"], "__radd__": ["other"], "__rsub__": ["other"],
    "__rmul__": ["other"], "__rdiv__": ["other"], "__rpow__": ["other"], "__rmatmul__": ["other"],
    "clamp": ["min", "max"], "clamp_min": ["min"], "clamp_max": ["max"], "maximum": ["other"], "minimum": ["other"],
    "where": ["condition", "other"], "nn.functional.softplus": ["beta", "threshold"],
    "nn.functional.leaky_relu": ["negative_slope", "inplace"], "nn.functional.elu": ["alpha", "inplace"],
    "nn.functional.dropout": ["p", "training", "inplace"],
    "gt": ["other"], "lt": ["other"], "ge": ["other"], "le": ["other"], "eq": ["other"], "ne": ["other"],
    "sum": ["dim", "keepdim"], "mean": ["dim", "keepdim"], "amax": ["dim", "keepdim"], "amin": ["dim", "keepdim"],
    "max": ["dim", "keepdim"], "min": ["dim", "keepdim"], "logsumexp": ["dim", "keepdim"],
    "argmax": ["dim", "keepdim"], "argmin": ["dim", "keepdim"], "var": ["dim", "unbiased", "keepdim"],
    "std": ["dim", "unbiased", "keepdim"], "softmax": ["dim", "dtype"], "log_softmax": ["dim", "dtype"],
    "nn.functional.softmin": ["dim", "_stacklevel", "dtype"],
    "nn.functional.cross_entropy": ["target", "weight", "size_average", "ignore_index", "reduce", "reduction",
                                    "label_smoothing"],
    "nn.functional.nll_loss": ["target", "weight", "size_average", "ignore_index", "reduce", "reduction"],
    "nn.functional.binary_cross_entropy_with_logits": ["target", "weight", "size_average", "reduce", "reduction",
                                                       "pos_weight"],
    "nn.functional.binary_cross_entropy": ["target", "weight", "size_average", "reduce", "reduction"],
    "nn.functional.mse_loss": ["target", "size_average", "reduce", "reduction", "weight"],
    "nn.functional.l1_loss": ["target", "size_average", "reduce", "reduction", "weight"],
    "nn.functional.huber_loss": ["target", "reduction", "delta", "weight"],
    "nn.functional.smooth_l1_loss": ["target", "size_average", "reduce", "reduction", "beta"],
    "reshape": ["shape"], "broadcast_to": ["size"], "expand": ["size"],
    "sum_to_size": ["size", "size", "size", "size"],  # *size varargs
    "unsqueeze": ["dim"], "squeeze": ["dim"], "flatten": ["start_dim", "end_dim"], "cat": ["dim"], "stack": ["dim"],
    "split": ["split_size_or_sections", "dim"], "split_with_sizes": ["split_sizes", "dim"],
    "matmul": ["other"], "permute": ["dims"], "nn.functional.linear": ["weight", "bias"],
    "nn.functional.conv2d": ["weight", "bias", "stride", "padding", "dilation", "groups"],
    "nn.functional.conv_transpose2d": ["weight", "bias", "stride", "padding", "output_padding", "groups",
                                       "dilation"],
    "nn.functional.max_pool2d": ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
    "nn.functional.avg_pool2d": ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                                 "divisor_override"],
    "nn.functional.unfold": ["kernel_size", "dilation", "padding", "stride"],
    "nn.functional.batch_norm": ["running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"],
    "nn.functional.layer_norm": ["normalized_shape", "weight", "bias", "eps"],
    "nn.functional.embedding": ["input"],  # the OpInfo's input is the weight, its arg the indices
    "atan2": ["other"], "nn.functional.hardtanh": ["min_val", "max_val", "inplace"],
    "nn.functional.celu": ["alpha", "inplace"], "prod": ["dim", "keepdim"], "cumsum": ["dim"],
    "norm": ["p", "dim", "keepdim", "out", "dtype"], "linalg.vector_norm": ["ord", "dim", "keepdim"],
    "flip": ["dims"], "chunk": ["chunks", "dim"], "unbind": ["dim"], "gather": ["dim", "index"],
    "addmm": ["mat1", "mat2"],
}

# What each existing op of ours can take, in torch's parameter names: tensor operands
# after the first, and options (their torchName). Copied from Sources/Parity/Operations.
OURS = {
    **{n: {"other"} for n in "add sub mul div maximum minimum greater less greater_equal less_equal equal "
       "not_equal matmul".split()},
    "pow": {"exponent", "other"},
    "clip": {"min", "max"}, "where": {"condition", "other"}, "softplus": {"beta", "threshold"},
    "leaky_relu": {"negative_slope"}, "elu": {"alpha"}, "dropout": {"p"},
    **{n: {"dim", "keepdim"} for n in "sum mean max min logsumexp argmax argmin".split()},
    "var": {"dim", "keepdim", "correction"}, "std": {"dim", "keepdim", "correction"},
    "softmax": {"dim"}, "log_softmax": {"dim"},
    **{n: {"target"} for n in "softmax_cross_entropy binary_cross_entropy_with_logits binary_cross_entropy "
       "mean_squared_error".split()},
    "huber_loss": {"target", "delta"}, "smooth_l1_loss": {"target", "beta"},
    "reshape": {"shape"}, "broadcast_to": {"size"}, "sum_to": {"size"}, "unsqueeze": {"dim"}, "expand_dims": {"dim"},
    "squeeze": {"dim"}, "flatten": {"start_dim", "end_dim"}, "cat": {"dim"}, "concatenate": {"dim"}, "stack": {"dim"},
    "split": {"split_size_or_sections", "split_sizes", "dim"}, "transpose": {"dims"},
    # A pair (with and without bias) shares one OpInfo: each takes the samples it can, the pair all.
    "linear": {"weight", "bias"}, "linear_nobias": {"weight", "bias"},
    "conv2d": {"weight", "bias", "stride", "padding", "dilation", "groups"},
    "conv2d_nobias": {"weight", "bias", "stride", "padding", "dilation", "groups"},
    "conv_transpose2d": {"weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"},
    "conv_transpose2d_nobias": {"weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"},
    "gelu": {"approximate"}, "gelu_tanh": {"approximate"},  # approximate="none" / "tanh" picks one of the pair
    "dropout_eval": {"p", "training"},
    "max_pool2d": {"kernel_size", "stride", "padding", "dilation", "ceil_mode"},
    "avg_pool2d": {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"},
    "im2col": {"kernel_size", "dilation", "padding", "stride"},
    "batch_norm": {"running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"},
    "layer_norm": {"normalized_shape", "weight", "bias", "eps"}, "embedding": {"input", "padding_idx"},
}
# Options of ours that take a single integer (a list there is a new need).
SINGLE_INT = {"softmax": {"dim"}, "log_softmax": {"dim"}, "argmax": {"dim"}, "argmin": {"dim"},
              "unsqueeze": {"dim"}, "expand_dims": {"dim"}, "cat": {"dim"}, "stack": {"dim"}, "split": {"dim"},
              "flatten": {"start_dim", "end_dim"}}
# Ops whose operands may be int64 tensors (takesInt64Operands), and which operand.
INT_OK = {"where": {"condition"}, "softmax_cross_entropy": {"target"}, "embedding": {"input"},
          "argmax": {"input"}, "argmin": {"input"}, "greater": {"input", "other"}, "less": {"input", "other"},
          "greater_equal": {"input", "other"}, "less_equal": {"input", "other"}, "equal": {"input", "other"},
          "not_equal": {"input", "other"}}
DIMLIKE = {"dim", "dims", "start_dim", "end_dim"}


def kind(v):
    if isinstance(v, dict):
        if "tensor" in v:
            t = v["tensor"]
            return f"tensor[{len(t['shape'])}-d {t['dtype']}]"
        if "list" in v:
            inner = sorted({kind(i) for i in v["list"]})
            return "list[" + ",".join(inner) + "]" if inner else "list[]"
        if "float" in v:
            return "float"
        return next(iter(v))
    return {bool: "bool", int: "int", float: "float", str: "str", type(None): "None"}[type(v)]


def show(v):
    if isinstance(v, dict):
        if "tensor" in v:
            t = v["tensor"]
            return f"T{t['shape']}" + ("" if t["dtype"] in ("float64",) else f":{t['dtype']}")
        if "list" in v:
            return "[" + ",".join(show(i) for i in v["list"]) + "]"
        if "float" in v:
            return v["float"]
        if "dtype" in v:
            return "torch." + v["dtype"]
        return str(v)
    return json.dumps(v)


def tensors(v):
    if isinstance(v, dict):
        if "tensor" in v:
            yield v["tensor"]
        elif "list" in v:
            for i in v["list"]:
                yield from tensors(i)


def survey(our, result):
    """Counters for one (our op, OpInfo) pair."""
    positional = POSITIONAL.get(result["opinfo"], [])
    s = collections.defaultdict(collections.Counter)
    examples = collections.defaultdict(list)
    blockers_per_sample = []
    supported = OURS.get(our)
    for sample in result["samples"]:
        if "error" in sample:
            s["flags"]["encoding error"] += 1
            continue
        params = {}
        for i, a in enumerate(sample["args"]):
            name = positional[i] if i < len(positional) else f"#{i + 1}"
            params[name] = a
            s["positional"][f"{i + 1}:{name}={kind(a)}"] += 1
        for k, v in sample["kwargs"].items():
            params[k] = v
            s["kwargs"][f"{k}={kind(v)}"] += 1
            e = show(v)
            if e not in examples[k] and len(examples[k]) < 6:
                examples[k].append(e)
        inp = sample["input"]
        s["input"][kind(inp)] += 1
        all_tensors = list(tensors(inp)) + [t for v in params.values() for t in tensors(v)]
        flags = s["flags"]
        if any(0 in t["shape"] for t in all_tensors):
            flags["empty tensor (numel 0)"] += 1
        if any(len(t["shape"]) == 0 for t in tensors(inp)):
            flags["0-d input"] += 1
        if any(t["noncontiguous"] for t in all_tensors):
            flags["non-contiguous tensor"] += 1
        if any(t["data"] and any(isinstance(x, str) for x in t["data"]) for t in all_tensors):
            flags["non-finite values"] += 1
        if sample["output_process_fn_grad"]:
            flags["output_process_fn_grad"] += 1
        if sample["broadcasts_input"]:
            flags["broadcasts_input"] += 1
        if sample.get("data_omitted"):
            flags["data omitted (> 65536 elements)"] += 1
        if sample["note"]:
            flags["named: " + sample["note"]] += 1
        # What our op lacks for this sample.
        if supported is None:
            continue
        blockers = set()
        for name, v in params.items():
            if v is None:
                s["flags"][f"{name}=None (omit it)"] += 1
                continue
            if name not in supported and not (v is False and name in ("inplace", "return_indices")):
                blockers.add(f"{name}=")
            if name in DIMLIKE or name == "dim":
                ints = [v] if isinstance(v, int) and not isinstance(v, bool) else \
                    [i for i in v.get("list", [])] if isinstance(v, dict) else []
                if any(isinstance(i, int) and i < 0 for i in ints):
                    s["flags"]["negative dim"] += 1
                if isinstance(v, dict) and "list" in v and name in SINGLE_INT.get(our, ()):
                    blockers.add(f"{name} as a list")
            if isinstance(v, dict) and "float" in v:
                blockers.add(f"{name}=non-finite number")
        int_ok = INT_OK.get(our, set())
        for name, v in [("input", inp)] + list(params.items()):
            for t in tensors(v):
                if t["dtype"] not in ("float64", "float32") and name not in int_ok:
                    blockers.add(f"{t['dtype']} tensor as {name}")
        if any(0 in t["shape"] for t in all_tensors):
            s["flags"]["(empty: Swift support unknown)"] += 0
        blockers_per_sample.append(blockers)
    return s, examples, blockers_per_sample


def main():
    requests, seen = [], set()
    for table in (EXISTING, NEW):
        for our, infos in table.items():
            for name, variant in infos:
                if (name, variant) not in seen:
                    seen.add((name, variant))
                    requests.append({"op": our, "opinfo": name, "variant": variant})
    plain = {(r["opinfo"], r["variant"]): r for r in oi.samples(requests, "float64")}
    with_reference = {(r["opinfo"], r["variant"]): r for r in oi.samples(requests, "float64", include_reference=True)}
    float32 = {(r["opinfo"], r["variant"]): r for r in oi.samples(requests, "float32")}
    unlock = collections.Counter()
    touch = collections.Counter()
    totals = collections.Counter()
    counted = set()  # an OpInfo shared by two ops of ours (cat, concatenate) is counted once
    out = []
    for title, table in (("Existing ops", EXISTING), ("Ops being added", NEW)):
        out.append(f"\n## {title}\n")
        for our, infos in table.items():
            out.append(f"\n### `{our}`\n")
            if not infos:
                out.append("No OpInfo (torch's op_db has no nn.functional.fold).\n")
                continue
            for name, variant in infos:
                r = plain[(name, variant)]
                ref = with_reference[(name, variant)]
                f32 = float32[(name, variant)]
                label = f"`{name}`" + (f" variant `{variant}`" if variant else "")
                out.append(f"\n**{label}** — positional after input: "
                           f"{', '.join(POSITIONAL.get(name, [])) or '(none)'}; "
                           f"samples float64 {len(r['samples'])} (float32 {len(f32['samples'])}), "
                           f"with reference_inputs {len(ref['samples'])}; "
                           f"autograd {r['supports_autograd']}, gradgrad {r['supports_gradgrad']}, "
                           f"fwgrad {r['supports_fwgrad']}, float64 grad {r['grad_dtype_supported']}"
                           + (f"; **error**: {r['error']}" if r["error"] else "")
                           + (f"; reference warnings: {'; '.join(ref['warnings'])}" if ref["warnings"] else "")
                           + "\n")
                s, examples, blockers = survey(our, r)
                for group in ("input", "positional", "kwargs", "flags"):
                    if s[group]:
                        items = ", ".join(f"{k} ×{n}" for k, n in sorted(s[group].items()) if n)
                        out.append(f"- {group}: {items}\n")
                if examples:
                    out.append("- kwarg values: " + "; ".join(f"`{k}`: {', '.join(v)}" for k, v in examples.items())
                               + "\n")
                if our in OURS and (name, variant) not in counted:
                    counted.add((name, variant))
                    ok = sum(1 for b in blockers if not b)
                    totals[our] += len(blockers)
                    missing = collections.Counter(x for b in blockers for x in b)
                    out.append(f"- expressible with our op as it is (parameters and dtypes only): {ok}/{len(blockers)}"
                               + (("; missing: " + ", ".join(f"{k} ×{n}" for k, n in missing.most_common()))
                                  if missing else "") + "\n")
                    for b in blockers:
                        for x in b:
                            touch[x] += 1
                        if len(b) == 1:
                            unlock[next(iter(b))] += 1
    print("".join(out))
    print("\n## Blockers over all existing ops\n")
    print("Samples that need each missing feature (`needs`) and samples that need only it (`unlocks`):\n")
    print("| feature | needs | unlocks |\n|---|---|---|")
    for k, n in touch.most_common():
        print(f"| {k} | {n} | {unlock[k]} |")


if __name__ == "__main__":
    main()
