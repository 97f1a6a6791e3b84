import Autograd

/// A layer or a model: a function of one `Variable` with ``Parameter``s, and other
/// modules as its children (torch's `nn.Module`, DeZero's `Layer`).
///
/// A subclass declares its parameters and children as stored properties and writes
/// ``forward(_:)``; the module finds them by reflection and names them after the
/// properties, dotted through the tree, as torch's `named_parameters()` does:
///
/// ```swift
/// final class TwoLayerNet: Module {
///     let hidden: Linear
///     let output: Linear
///
///     init(seed: UInt64) {
///         var generator = SeededGenerator(seed: seed)
///         hidden = Linear(2, 10, generator: &generator)
///         output = Linear(10, 3, generator: &generator)
///     }
///
///     override func forward(_ x: Variable) throws -> Variable {
///         try output(sigmoid(hidden(x)))
///     }
/// }
///
/// TwoLayerNet(seed: 0).namedParameters().map(\.name)
/// // ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
/// ```
///
/// Reflection finds properties of type ``Parameter``, ``Buffer`` and ``Module``, optionals of them
/// (`nil` is skipped), and arrays of them (named by index: `layers.0.weight`, like
/// torch's `ModuleList`), in declaration order, superclass properties first. Anything
/// else is ignored. A subclass with another layout overrides ``namedChildren`` and
/// ``namedOwnParameters`` (``Sequential`` names its layers `0`, `1`, ...).
open class Module {
    public init() {}

    /// Whether the module is in training mode (torch's `module.training`), `true` for a
    /// new module. Layers whose behaviour depends on it (``Dropout``, batch
    /// normalisation) read it in `forward`; set it for a whole tree with ``train(_:)``
    /// or ``eval()``.
    public internal(set) var training = true

    /// Sets training mode on this module and every module below it (torch's `train(mode)`).
    @discardableResult
    public final func train(_ mode: Bool = true) -> Self {
        for (_, module) in namedModules() { module.training = mode }
        return self
    }

    /// Sets evaluation mode on the whole tree (torch's `eval()`, `train(false)`).
    @discardableResult
    public final func eval() -> Self {
        train(false)
    }

    /// The module's function. Subclasses override it; operations report shape errors
    /// by throwing. The error type is open, so that a `forward` may call helpers that
    /// throw their own errors; an override may narrow it (the layers of this module
    /// throw only `AutogradError`).
    open func forward(_ x: Variable) throws -> Variable {
        fatalError("\(type(of: self)) must override forward(_:)")
    }

    /// Runs ``forward(_:)``: `let y = try model(x)`.
    /// - Throws: whatever ``forward(_:)`` throws.
    public final func callAsFunction(_ x: Variable) throws -> Variable {
        try forward(x)
    }

    // MARK: Structure

    /// The direct children, by name, in order. Default: found by reflection.
    open var namedChildren: [(name: String, module: Module)] {
        reflectedMembers().children
    }

    /// The parameters held by this module itself (not its children), by name, in order.
    /// Default: found by reflection.
    open var namedOwnParameters: [(name: String, parameter: Parameter)] {
        reflectedMembers().parameters
    }

    /// The buffers held by this module itself (not its children), by name, in order:
    /// state that is saved and loaded with the parameters but not trained (batch
    /// normalisation's running statistics). Default: found by reflection.
    open var namedOwnBuffers: [(name: String, buffer: Buffer)] {
        reflectedMembers().buffers
    }

    /// Every buffer of the tree, each once, with dotted names (torch's `named_buffers()`).
    public final func namedBuffers() -> [(name: String, buffer: Buffer)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, buffer: Buffer)] = []
        for (prefix, module) in namedModules() {
            for (name, buffer) in module.namedOwnBuffers where seen.insert(ObjectIdentifier(buffer)).inserted {
                result.append((prefix.isEmpty ? name : "\(prefix).\(name)", buffer))
            }
        }
        return result
    }

    /// This module and every module below it, pre-order, each once, with dotted names
    /// (`""` for this one): torch's `named_modules()`.
    public final func namedModules() -> [(name: String, module: Module)] {
        var visited = Set<ObjectIdentifier>()
        var result: [(name: String, module: Module)] = []
        // An explicit stack instead of recursion: children pushed in reverse pop in order.
        var stack: [(name: String, module: Module)] = [("", self)]
        while let (name, module) = stack.popLast() {
            guard visited.insert(ObjectIdentifier(module)).inserted else { continue }
            result.append((name, module))
            for child in module.namedChildren.reversed() {
                stack.append((name.isEmpty ? child.name : "\(name).\(child.name)", child.module))
            }
        }
        return result
    }

    /// Every parameter of the tree, each once (a parameter shared by two layers is
    /// listed under its first name), with dotted names: torch's `named_parameters()`.
    /// A module's own parameters come before its children's.
    public final func namedParameters() -> [(name: String, parameter: Parameter)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, parameter: Parameter)] = []
        for (prefix, module) in namedModules() {
            for (name, parameter) in module.namedOwnParameters where seen.insert(ObjectIdentifier(parameter)).inserted {
                result.append((prefix.isEmpty ? name : "\(prefix).\(name)", parameter))
            }
        }
        return result
    }

    /// Every parameter of the tree, in ``namedParameters()`` order: what an optimizer updates.
    public final var parameters: [Parameter] {
        namedParameters().map(\.parameter)
    }

    /// Forgets every parameter's gradient (torch's `zero_grad()`, which sets them to `None`).
    public final func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }

    // MARK: Reflection

    private func reflectedMembers() -> (
        parameters: [(name: String, parameter: Parameter)], buffers: [(name: String, buffer: Buffer)],
        children: [(name: String, module: Module)]
    ) {
        var parameters: [(name: String, parameter: Parameter)] = []
        var buffers: [(name: String, buffer: Buffer)] = []
        var children: [(name: String, module: Module)] = []

        func visit(_ name: String, _ value: Any) {
            if let parameter = value as? Parameter {
                parameters.append((name, parameter))
            } else if let buffer = value as? Buffer {
                buffers.append((name, buffer))
            } else if let module = value as? Module {
                children.append((name, module))
            } else {
                let mirror = Mirror(reflecting: value)
                switch mirror.displayStyle {
                case .optional:
                    if let wrapped = mirror.children.first { visit(name, wrapped.value) }
                case .collection:
                    for (index, element) in mirror.children.enumerated() { visit("\(name).\(index)", element.value) }
                default:
                    break
                }
            }
        }

        var mirrors: [Mirror] = []
        var current: Mirror? = Mirror(reflecting: self)
        while let mirror = current {
            mirrors.append(mirror)
            current = mirror.superclassMirror
        }
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard var label = child.label else { continue }
                if label.hasPrefix("$__lazy_storage_$_") { label.removeFirst("$__lazy_storage_$_".count) }
                if label.hasPrefix("_") { label.removeFirst() }  // a property wrapper's storage
                visit(label, child.value)
            }
        }
        return (parameters, buffers, children)
    }
}

extension Module: CustomStringConvertible {
    /// The tree, one module per line, with each parameter's shape.
    public var description: String {
        namedModules().map { name, module in
            let depth = name.isEmpty ? 0 : name.split(separator: ".").count
            let own = module.namedOwnParameters.map { "\($0.name) \($0.parameter.shape)" }.joined(separator: ", ")
            let label = name.isEmpty ? "\(type(of: module))" : "\(name): \(type(of: module))"
            return String(repeating: "  ", count: depth) + label + (own.isEmpty ? "" : " (\(own))")
        }.joined(separator: "\n")
    }
}
