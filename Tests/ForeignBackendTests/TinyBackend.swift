import Parity

/// The tiny autograd as a harness backend: eleven operations, float64, 0-d tensors only.
/// Everything else is declared (or, for shapes, reported) unsupported.
struct TinyBackend: ParityBackend {
    /// A deliberately wrong derivative for `tanh`, to show that a wrong gradient is a
    /// failure and not an unsupported case.
    var breaksTanh = false

    var supportedOperations: Set<OpName>? {
        [.add, .sub, .mul, .div, .neg, .pow, .exp, .log, .sin, .cos, .tanh, .sigmoid, .square]
    }

    var supportedScalarTypes: Set<ScalarType> { [.float64] }

    func input(_ tensor: HostTensor, dtype: ScalarType) throws -> Scalar {
        guard tensor.shape.isEmpty else { throw ParityError.unsupported("only 0-d tensors (scalars)") }
        return Scalar(tensor.data[0])
    }

    func constant(_ tensor: HostTensor, dtype: ScalarType) throws -> Scalar {
        try input(tensor, dtype: dtype)
    }

    func apply(_ operation: Op, _ operands: [Operand<Scalar>], _ options: OptionValues) throws -> [Scalar] {
        guard options.values.isEmpty else { throw ParityError.unsupported("no options") }
        var xs: [Scalar] = []
        for operand in operands {
            switch operand {
            case .value(let v): xs.append(v)
            case .number(let n): xs.append(Scalar(n))
            case .list: throw ParityError.unsupported("no lists of tensors")
            case .absent: throw ParityError.unsupported("no optional operands")
            }
        }
        switch operation.opName {
        case .add: return [xs[0] + xs[1]]
        case .sub: return [xs[0] - xs[1]]
        case .mul: return [xs[0] * xs[1]]
        case .div: return [xs[0] / xs[1]]
        case .neg: return [-xs[0]]
        case .square: return [xs[0] * xs[0]]
        case .exp: return [xs[0].exp()]
        case .log: return [xs[0].log()]
        case .sin: return [xs[0].sin()]
        case .cos: return [xs[0].cos()]
        case .sigmoid: return [xs[0].sigmoid()]
        case .tanh:
            if breaksTanh { return [Scalar(xs[0].tanh().value, inputs: [(xs[0], { out in Scalar(1) - out })])] }
            return [xs[0].tanh()]
        case .pow:
            if case .number(let p) = operands[1] { return [xs[0].power(p)] }
            return [xs[0].power(xs[1])]
        default:
            throw ParityError.unsupported("\(operation.name) is not implemented")
        }
    }

    func index(_ value: Scalar, _ items: [SubscriptItem]) throws -> Scalar {
        throw ParityError.unsupported("no indexing")
    }

    func gradients(of output: Scalar, withRespectTo inputs: [Scalar], upstream: Scalar, createGraph: Bool) throws -> [Scalar] {
        output.gradients(withRespectTo: inputs, seed: upstream)
    }

    func sumOfSums(_ values: [Scalar]) throws -> Scalar {
        values.dropFirst().reduce(values[0], +)
    }

    func read(_ value: Scalar) throws -> HostTensor {
        HostTensor(scalar: value.value)
    }
}
