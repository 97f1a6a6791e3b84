import Autograd

extension Module {
    /// Every parameter's and buffer's current value by its dotted name (torch's
    /// `state_dict()`): module by module, pre-order, each module's own parameters and
    /// then its own buffers, as torch orders them.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedState().map { ($0.name, $0.entry.value) }
    }

    /// A parameter or a buffer: what a state dict holds.
    fileprivate enum StateEntry {
        case parameter(Parameter)
        case buffer(Buffer)

        var value: Tensor {
            switch self {
            case .parameter(let p): p.data
            case .buffer(let b): b.data
            }
        }

        var shape: [Int] { value.shape }

        func assign(_ tensor: Tensor) {
            switch self {
            case .parameter(let p): p.data = tensor.converted(to: p.dtype)
            case .buffer(let b): b.data = tensor.converted(to: b.dtype)
            }
        }
    }

    /// Parameters and buffers by dotted name, in state-dict order, each object once.
    fileprivate func namedState() -> [(name: String, entry: StateEntry)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(name: String, entry: StateEntry)] = []
        for (prefix, module) in namedModules() {
            func dotted(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
            for (name, p) in module.namedOwnParameters where seen.insert(ObjectIdentifier(p)).inserted {
                result.append((dotted(name), .parameter(p)))
            }
            for (name, b) in module.namedOwnBuffers where seen.insert(ObjectIdentifier(b)).inserted {
                result.append((dotted(name), .buffer(b)))
            }
        }
        return result
    }

    /// Loads parameter and buffer values by name (torch's `load_state_dict`).
    ///
    /// Everything is checked before anything is assigned: on an error the module is
    /// unchanged. A value of another dtype is converted to the parameter's dtype, as
    /// torch's `copy_` does (buffers included: an int64 `num_batches_tracked` stays int64).
    /// - Parameters:
    ///   - state: values by dotted name, as ``stateDict()`` returns them.
    ///   - strict: also require a value for every parameter (torch's default). Names the
    ///     module does not have are refused either way.
    /// - Throws: ``NNError/stateDoesNotMatch(unexpected:missing:shapeMismatches:)`` listing
    ///   every problem at once, ``NNError/duplicateName(_:)``.
    public func loadStateDict(_ state: [(name: String, tensor: Tensor)], strict: Bool = true) throws(NNError) {
        var values: [String: Tensor] = [:]
        for (name, tensor) in state {
            guard values.updateValue(tensor, forKey: name) == nil else { throw .duplicateName(name) }
        }
        let entries = namedState()
        let known = Set(entries.map(\.name))
        let unexpected = state.map(\.name).filter { !known.contains($0) }
        let missing = strict ? entries.map(\.name).filter { values[$0] == nil } : []
        let mismatches = entries.compactMap { name, entry -> NNError.ShapeMismatch? in
            guard let value = values[name], value.shape != entry.shape else { return nil }
            return NNError.ShapeMismatch(name: name, expected: entry.shape, found: value.shape)
        }
        guard unexpected.isEmpty && missing.isEmpty && mismatches.isEmpty else {
            throw .stateDoesNotMatch(unexpected: unexpected, missing: missing, shapeMismatches: mismatches)
        }
        for (name, entry) in entries {
            guard let value = values[name] else { continue }
            entry.assign(value)
        }
    }

    /// Writes ``stateDict()`` as a safetensors file, which `safetensors.torch.load_file`
    /// reads into a state torch's `load_state_dict` accepts.
    /// - Throws: ``NNError/fileError(path:reason:)``.
    public func save(to path: String, metadata: [String: String] = [:]) throws(NNError) {
        try Safetensors.write(stateDict(), metadata: metadata, to: path)
    }

    /// Loads parameter values from a safetensors file (one written by ``save(to:metadata:)``,
    /// or by torch's `safetensors.torch.save_file(model.state_dict(), path)`).
    /// - Throws: ``NNError/fileError(path:reason:)``, ``NNError/malformedSafetensors(_:)``,
    ///   ``NNError/unsupportedDType(name:dtype:)``, and the errors of ``loadStateDict(_:strict:)``.
    public func load(from path: String, strict: Bool = true) throws(NNError) {
        try loadStateDict(Safetensors.read(from: path).tensors, strict: strict)
    }
}
