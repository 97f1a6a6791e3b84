/// The graph behind `output` in Graphviz's DOT language (DeZero's `plot_dot_graph`):
/// variables as ellipses labelled with their name, shape and dtype, functions as boxes.
/// Render with `dot -Tpng graph.dot -o graph.png`.
public func dotGraph(of output: Variable) -> String {
    var lines = ["digraph autograd {", "  rankdir=LR;", "  node [fontname=\"Helvetica\", fontsize=10];"]
    var seenVariables = Set<ObjectIdentifier>()
    var seenFunctions = Set<ObjectIdentifier>()
    func id(_ object: AnyObject) -> String { "n\(UInt(bitPattern: ObjectIdentifier(object).hashValue))" }
    func addVariable(_ v: Variable) {
        guard seenVariables.insert(ObjectIdentifier(v)).inserted else { return }
        let shape = "(" + v.shape.map(String.init).joined(separator: ", ") + (v.rank == 1 ? ",)" : ")")
        let label = [v.name, "\(shape) \(v.dtype)"].compactMap { $0 }.joined(separator: "\\n")
        let color = v.creator == nil ? (v.requiresGrad ? "lightblue" : "lightgray") : "orange"
        lines.append("  \(id(v)) [label=\"\(label)\", style=filled, fillcolor=\(color)];")
    }
    addVariable(output)
    var pending = output.creator.map { [$0] } ?? []
    while let f = pending.popLast() {
        guard seenFunctions.insert(ObjectIdentifier(f)).inserted else { continue }
        lines.append("  \(id(f)) [label=\"\(f.name)\", shape=box, style=filled, fillcolor=white];")
        for case let y? in f.outputs {
            addVariable(y)
            lines.append("  \(id(f)) -> \(id(y));")
        }
        for x in f.inputs {
            addVariable(x)
            lines.append("  \(id(x)) -> \(id(f));")
            if let creator = x.creator { pending.append(creator) }
        }
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
}
