import Autograd

extension Module {
    /// Every parameter's current value by its dotted name, in ``namedParameters()`` order
    /// (torch's `state_dict()`; this library's modules have no buffers).
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedParameters().map { ($0.name, $0.parameter.data) }
    }

    /// Loads parameter values by name (torch's `load_state_dict`).
    ///
    /// Everything is checked before anything is assigned: on an error the module is
    /// unchanged. A value of another dtype is converted to the parameter's dtype, as
    /// torch's `copy_` does.
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
        let parameters = namedParameters()
        let known = Set(parameters.map(\.name))
        let unexpected = state.map(\.name).filter { !known.contains($0) }
        let missing = strict ? parameters.map(\.name).filter { values[$0] == nil } : []
        let mismatches = parameters.compactMap { name, parameter -> NNError.ShapeMismatch? in
            guard let value = values[name], value.shape != parameter.shape else { return nil }
            return NNError.ShapeMismatch(name: name, expected: parameter.shape, found: value.shape)
        }
        guard unexpected.isEmpty && missing.isEmpty && mismatches.isEmpty else {
            throw .stateDoesNotMatch(unexpected: unexpected, missing: missing, shapeMismatches: mismatches)
        }
        for (name, parameter) in parameters {
            guard let value = values[name] else { continue }
            parameter.data = value.converted(to: parameter.dtype)
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
