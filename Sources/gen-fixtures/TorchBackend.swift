import Autograd
import Parity
import ParityAutograd
import PythonBridge
import Foundation

/// torch, reached through the embedded interpreter, as a ``ParityBackend``: the
/// reference side of every fixture. Each op of the op table is a call of its
/// ``Op/torch`` callable; nothing is `eval`-ed.
final class TorchBackend: ParityBackend {
    typealias Value = PythonObject

    let torch: PythonObject
    private let grad: PythonObject
    private var callables: [String: PythonObject] = [:]

    /// The installed torch's version, e.g. "2.15.0+cu132".
    let version: String

    init() throws(PythonError) {
        torch = try Python.importModule("torch")
        grad = try torch.attribute("autograd").attribute("grad")
        version = try torch.attribute("__version__").toString()
        // torch_ops.py: the few counterparts that need more than one torch call.
        callables["torch_ops"] = try PythonScripts.load("torch_ops")
    }

    func dtype(_ dtype: ScalarType) throws(PythonError) -> PythonObject {
        try torch.attribute(dtype.rawValue)
    }

    /// Resolves a dotted path such as `torch.sigmoid` or `operator.add` once.
    func callable(_ path: String) throws(PythonError) -> PythonObject {
        if let cached = callables[path] { return cached }
        let parts = path.split(separator: ".").map(String.init)
        // `torch_ops` is loaded from a file (PythonScripts), not importable by name.
        var object: PythonObject
        if let root = callables[parts[0]] {
            object = root
        } else {
            object = try Python.importModule(parts[0])
        }
        for part in parts.dropFirst() { object = try object.attribute(part) }
        callables[path] = object
        return object
    }

    /// `t` as a torch tensor: of `dtype`, or `torch.long` (from Python ints) if `t` is int64.
    private func tensor(_ t: HostTensor, dtype: ScalarType) throws(PythonError) -> PythonObject {
        let values: PythonObject = t.isInt64 ? .list(t.data.map { PythonObject(Int($0)) }) : .floatList(t.data)
        return try torch.attribute("tensor")
            .call([values], keywords: [("dtype", try self.dtype(t.isInt64 ? .int64 : dtype))])
            .callMethod("reshape", [.tuple(t.shape.map { PythonObject($0) })])
    }

    /// A leaf that requires a gradient (only floating-point tensors can, in torch).
    func input(_ t: HostTensor, dtype: ScalarType) throws -> PythonObject {
        try tensor(t, dtype: dtype).callMethod("requires_grad_")
    }

    func constant(_ t: HostTensor, dtype: ScalarType) throws -> PythonObject {
        try tensor(t, dtype: dtype)
    }

    /// Standard normal values from a seeded generator, drawn in float64, then rounded to `dtype`.
    func randn(shape: [Int], seed: Int, dtype: ScalarType) throws(PythonError) -> HostTensor {
        let generator = try self.generator(seed)
        let t = try torch.attribute("randn").call(
            [.tuple(shape.map { PythonObject($0) })],
            keywords: [("generator", generator), ("dtype", try self.dtype(.float64))])
        return try read(try t.callMethod("to", [try self.dtype(dtype)]))
    }

    /// Uniform values on [low, high) from a seeded generator, drawn in float64, then rounded to `dtype`.
    func uniform(shape: [Int], low: Double, high: Double, seed: Int, dtype: ScalarType) throws(PythonError) -> HostTensor {
        let generator = try self.generator(seed)
        let t = try torch.attribute("empty").call(
            [.tuple(shape.map { PythonObject($0) })], keywords: [("dtype", try self.dtype(.float64))])
            .callMethod("uniform_", [PythonObject(low), PythonObject(high)], keywords: [("generator", generator)])
        return try read(try t.callMethod("to", [try self.dtype(dtype)]))
    }

    /// int64 values uniform on the integers `low..<high` from a seeded generator (torch.randint).
    func randint(shape: [Int], low: Int, high: Int, seed: Int) throws(PythonError) -> HostTensor {
        let generator = try self.generator(seed)
        let t = try torch.attribute("randint").call(
            [PythonObject(low), PythonObject(high), .tuple(shape.map { PythonObject($0) })],
            keywords: [("generator", generator), ("dtype", try self.dtype(.int64))])
        return try read(t)
    }

    /// Literal values as torch stores them in `dtype` (float32 rounds; int64 ones stay int64).
    func literal(_ t: HostTensor, dtype: ScalarType) throws(PythonError) -> HostTensor {
        try read(try tensor(t, dtype: dtype))
    }

    private func generator(_ seed: Int) throws(PythonError) -> PythonObject {
        try torch.attribute("Generator").call().callMethod("manual_seed", [PythonObject(seed)])
    }

    /// Calls the op's torch callable: the required operands positionally, the optional
    /// ones present by keyword under their torch names (absent ones left out, so torch
    /// applies its defaults), the options by keyword under theirs.
    func apply(_ operation: Op, _ operands: [Operand<PythonObject>], _ options: OptionValues) throws -> [PythonObject] {
        var args: [PythonObject] = []
        var keywords: [(String, PythonObject)] = []
        for (slot, operand) in operands.enumerated() {
            let object: PythonObject
            switch operand {
            case .value(let v): object = v
            case .number(let x): object = PythonObject(x)
            case .list(let vs): object = .list(vs)
            case .absent: continue
            }
            if operation.isOptionalOperand(slot), let keyword = operation.operandNames[slot] {
                keywords.append((keyword, object))
            } else {
                args.append(object)
            }
        }
        for option in operation.options {
            guard let value = options.values[option.name] else { continue }
            switch value {
            case .int(let i): keywords.append((option.torchName, PythonObject(i)))
            case .ints(let list): keywords.append((option.torchName, .tuple(list.map { PythonObject($0) })))
            case .bool(let b): keywords.append((option.torchName, PythonObject(b)))
            case .number(let x): keywords.append((option.torchName, PythonObject(x)))
            case .string(let s) where option.name == Op.Option.dtype.name:
                // `dtype='float64'` is torch.float64; another name is an attribute error, as in torch.
                keywords.append((option.torchName, try torch.attribute(s)))
            case .string(let s): keywords.append((option.torchName, PythonObject(s)))
            }
        }
        let result = try callable(operation.torch).call(args, keywords: keywords)
        return operation.returnsList ? try result.toArray() : [result]
    }

    func index(_ value: PythonObject, _ items: [SubscriptItem]) throws -> PythonObject {
        try index(value, items.map { SubscriptOperand<PythonObject>.item($0) })
    }

    /// `value[key]`, an index tensor passed to torch as it is (torch refuses a float one).
    func index(_ value: PythonObject, _ components: [SubscriptOperand<PythonObject>]) throws -> PythonObject {
        let slice = try callable("builtins.slice")
        func optional(_ i: Int?) -> PythonObject { i.map { PythonObject($0) } ?? .none }
        let key = try components.map { component throws -> PythonObject in
            switch component {
            case .item(.index(let i)): PythonObject(i)
            case let .item(.slice(start, stop, step)): try slice.call([optional(start), optional(stop), optional(step)])
            case .item(.indices(let list)):
                try torch.attribute("tensor").call([.list(list.map { PythonObject($0) })], keywords: [("dtype", try torch.attribute("long"))])
            case .item(.ellipsis): try callable("builtins.Ellipsis")
            case .item(.newAxis): PythonObject.none
            case .tensor(let t): t
            }
        }
        return try callable("operator.getitem").call([value, .tuple(key)])
    }

    func gradients(of output: PythonObject, withRespectTo inputs: [PythonObject], upstream: PythonObject, createGraph: Bool) throws -> [PythonObject] {
        let zerosLike = try torch.attribute("zeros_like")
        // torch refuses to differentiate a result that does not depend on any input.
        guard try output.attribute("requires_grad").toBool() else {
            return try inputs.map { try zerosLike.call([$0]) }
        }
        let results = try grad.call(
            [.tuple([output]), .tuple(inputs)],
            keywords: [
                ("grad_outputs", .tuple([upstream])),
                ("create_graph", PythonObject(createGraph)),
                ("allow_unused", PythonObject(true)),
            ]).toArray()
        // None for an unused input; an "efficient zero tensor" (no storage, which cannot be
        // read) where torch knows a gradient is 0, as abs's second derivative.
        return try zip(results, inputs).map { g, x in
            try g.isNone || g.callMethod("_is_zerotensor").toBool() ? zerosLike.call([x]) : g
        }
    }

    func sumOfSums(_ values: [PythonObject]) throws -> PythonObject {
        guard let first = values.first else { throw ParityError("no values to sum") }
        let sum = try torch.attribute("sum"), add = try callable("operator.add")
        var total = try sum.call([first])
        for v in values.dropFirst() { total = try add.call([total, try sum.call([v])]) }
        return total
    }

    /// The values of a floating-point or int64 tensor (marked int64); torch's other
    /// dtypes (bool, int32, ...) do not occur in the op table and are refused.
    func read(_ value: PythonObject) throws(PythonError) -> HostTensor {
        let shape = try value.attribute("shape").toArray().map { (d: PythonObject) throws(PythonError) -> Int in try d.toInt() }
        let isInt64: Bool
        if try value.callMethod("is_floating_point").toBool() {
            isInt64 = false
        } else {
            let name = try value.attribute("dtype").callMethod("__repr__").toString()
            guard name == "torch.int64" else {
                throw PythonError(typeName: "TypeError", message: "a result of dtype \(name), which the harness does not hold", traceback: nil)
            }
            isInt64 = true
        }
        let data = try value.callMethod("detach").callMethod("reshape", [PythonObject(-1)]).callMethod("tolist").toDoubles()
        if isInt64, let big = data.first(where: { abs($0) > HostTensor.maxInt64Magnitude }) {
            throw PythonError(typeName: "OverflowError", message: "int64 value \(big) is beyond 2^53, which the harness holds exactly", traceback: nil)
        }
        return HostTensor(shape: shape, data: data, dtype: isInt64 ? .int64 : nil)
    }
}
