import ArgumentParser
import Parity

/// The flags that raise the harness's limits (``Parity/HarnessLimits``), shared by
/// `gen-fixtures` and `parity`: one per limit, each defaulting to the documented default.
public struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-file-bytes"), help: ArgumentHelp("The largest spec or fixture file read, in bytes.", valueName: "N"))
    public var maxFileBytes = HarnessLimits.default.maxFileBytes

    @Option(name: .customLong("max-json-depth"), help: ArgumentHelp("The deepest nesting of JSON arrays and objects.", valueName: "N"))
    public var maxJSONDepth = HarnessLimits.default.maxJSONDepth

    @Option(name: .customLong("max-json-items"), help: ArgumentHelp("The most items of one JSON array or members of one object.", valueName: "N"))
    public var maxJSONItems = HarnessLimits.default.maxJSONItems

    @Option(name: .customLong("max-tensor-elements"), help: ArgumentHelp("The most elements of one tensor (input, output, gradient), and of one dimension.", valueName: "N"))
    public var maxTensorElements = HarnessLimits.default.maxTensorElements

    @Option(name: .customLong("max-case-elements"), help: ArgumentHelp("The most input elements of one case, over all its inputs.", valueName: "N"))
    public var maxCaseElements = HarnessLimits.default.maxCaseElements

    @Option(name: .customLong("max-model-parameters"), help: ArgumentHelp("The most parameters of a training case's model.", valueName: "N"))
    public var maxModelParameters = HarnessLimits.default.maxModelParameters

    public init() {}

    /// The limits these flags set.
    public var limits: HarnessLimits {
        HarnessLimits(maxFileBytes: maxFileBytes, maxJSONDepth: maxJSONDepth, maxJSONItems: maxJSONItems,
                      maxTensorElements: maxTensorElements, maxCaseElements: maxCaseElements, maxModelParameters: maxModelParameters)
    }

    public func validate() throws {
        let values = [maxFileBytes, maxJSONDepth, maxJSONItems, maxTensorElements, maxCaseElements, maxModelParameters]
        guard values.allSatisfy({ $0 > 0 }) else { throw ValidationError("every --max-* limit must be positive") }
    }
}
