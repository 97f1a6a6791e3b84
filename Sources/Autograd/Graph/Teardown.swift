/// Releases graphs without recursion.
///
/// Swift frees a chain of objects recursively: dropping the last variable of a
/// million-op chain would release its creator, which releases its input, which
/// releases *its* creator, and so on, one stack frame per link, until the stack
/// overflows (here from about 24,000 links). Instead, when a variable dies, its graph
/// is taken apart in a loop: every function and variable that nothing else refers to
/// is detached from its neighbours before it is freed, so each free is shallow.
enum Teardown {
    /// Dismantles whatever hangs from a dying variable: its creator and its gradient.
    /// Called from `Variable.deinit`.
    static func dismantle(_ dying: Variable) {
        var functions: [Function] = []
        var variables: [Variable] = []
        // Move the dying variable's references into the work lists, so that each
        // object there is counted once and the uniqueness checks below are exact.
        if let creator = dying.detachFromCreator() { functions.append(creator) }
        if let grad = dying.grad.take() { variables.append(grad) }
        while true {
            if var variable = variables.popLast() {
                // Anything someone else still holds stays intact; its owner frees it later.
                guard isKnownUniquelyReferenced(&variable) else { continue }
                if let creator = variable.detachFromCreator() { functions.append(creator) }
                if let grad = variable.grad.take() { variables.append(grad) }
            } else if var function = functions.popLast() {
                guard isKnownUniquelyReferenced(&function) else { continue }
                function.takeInputs(into: &variables)
            } else {
                return
            }
        }
    }
}
