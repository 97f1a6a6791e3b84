// Swift operators on variables, with plain numbers allowed on either side:
// `x * y + 2`, `1 - y`, `2 ** x`, `-x`.
//
// A number becomes a 0-d constant of the other operand's dtype (no gradient), as a
// Python number does in torch. Operators cannot throw: operands whose shapes do not
// broadcast stop the program with a message, as an array index out of range does.
// To handle the error instead, call the named function (`try add(a, b)`).
//
// Precedence is Swift's, which differs from Python's in one place: a prefix operator
// binds tighter than any infix one, so `-x ** 2` is `(-x) ** 2` here and `-(x ** 2)`
// in Python (and in the parity expression language). Write `-(x ** 2)`.

precedencegroup PowerPrecedence {
    higherThan: MultiplicationPrecedence
    associativity: right
}

/// Power, right-associative and binding tighter than `*`, as in Python: `2 * x ** 2 ** 3`
/// is `2 * (x ** (2 ** 3))`.
infix operator ** : PowerPrecedence

extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable { trapping { () throws(AutogradError) in try add(a, b) } }
    public static func + (a: Variable, b: Double) -> Variable { a + .constant(b, like: a) }
    public static func + (a: Double, b: Variable) -> Variable { .constant(a, like: b) + b }

    public static func - (a: Variable, b: Variable) -> Variable { trapping { () throws(AutogradError) in try sub(a, b) } }
    public static func - (a: Variable, b: Double) -> Variable { a - .constant(b, like: a) }
    public static func - (a: Double, b: Variable) -> Variable { .constant(a, like: b) - b }

    public static func * (a: Variable, b: Variable) -> Variable { trapping { () throws(AutogradError) in try mul(a, b) } }
    public static func * (a: Variable, b: Double) -> Variable { a * .constant(b, like: a) }
    public static func * (a: Double, b: Variable) -> Variable { .constant(a, like: b) * b }

    public static func / (a: Variable, b: Variable) -> Variable { trapping { () throws(AutogradError) in try div(a, b) } }
    public static func / (a: Variable, b: Double) -> Variable { a / .constant(b, like: a) }
    public static func / (a: Double, b: Variable) -> Variable { .constant(a, like: b) / b }

    public static prefix func - (x: Variable) -> Variable { neg(x) }

    public static func ** (a: Variable, b: Variable) -> Variable { trapping { () throws(AutogradError) in try pow(a, b) } }
    public static func ** (a: Variable, b: Double) -> Variable { pow(a, b) }
    public static func ** (a: Double, b: Variable) -> Variable { pow(a, b) }
}

// `Int` and `Float` operands, wherever a `Double` works: `let n = 3; x ** n`,
// `Float(2) * x`. The number is converted to `Double` (exactly, for `Float` and for
// integers up to 2⁵³), then to the variable's dtype.
extension Variable {
    public static func + (a: Variable, b: Int) -> Variable { a + Double(b) }
    public static func + (a: Int, b: Variable) -> Variable { Double(a) + b }
    public static func - (a: Variable, b: Int) -> Variable { a - Double(b) }
    public static func - (a: Int, b: Variable) -> Variable { Double(a) - b }
    public static func * (a: Variable, b: Int) -> Variable { a * Double(b) }
    public static func * (a: Int, b: Variable) -> Variable { Double(a) * b }
    public static func / (a: Variable, b: Int) -> Variable { a / Double(b) }
    public static func / (a: Int, b: Variable) -> Variable { Double(a) / b }
    public static func ** (a: Variable, b: Int) -> Variable { a ** Double(b) }
    public static func ** (a: Int, b: Variable) -> Variable { Double(a) ** b }

    public static func + (a: Variable, b: Float) -> Variable { a + Double(b) }
    public static func + (a: Float, b: Variable) -> Variable { Double(a) + b }
    public static func - (a: Variable, b: Float) -> Variable { a - Double(b) }
    public static func - (a: Float, b: Variable) -> Variable { Double(a) - b }
    public static func * (a: Variable, b: Float) -> Variable { a * Double(b) }
    public static func * (a: Float, b: Variable) -> Variable { Double(a) * b }
    public static func / (a: Variable, b: Float) -> Variable { a / Double(b) }
    public static func / (a: Float, b: Variable) -> Variable { Double(a) / b }
    public static func ** (a: Variable, b: Float) -> Variable { a ** Double(b) }
    public static func ** (a: Float, b: Variable) -> Variable { Double(a) ** b }
}

// MARK: - Cast

/// `y = x` in another precision. Gradient: the incoming gradient cast back to `x`'s dtype.
public final class Cast: UnaryFunction {
    public let dtype: DType

    public init(to dtype: DType) {
        self.dtype = dtype
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.converted(to: dtype)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0].to(input(0).dtype)]
    }
}

extension Variable {
    /// This variable in another precision (itself if already of that dtype).
    public func to(_ dtype: DType) -> Variable {
        dtype == self.dtype ? self : Cast(to: dtype)(self)
    }
}
