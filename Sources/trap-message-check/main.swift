// Exists only for `tools/check-release-traps.sh`, which builds this program with
// `-c release` and checks that it stops with the library's message on stderr.
//
// Operators cannot throw, so `a * b` with shapes that do not broadcast stops the
// program with the error's description. `precondition` and `preconditionFailure` drop
// their message in -O builds (a bare "illegal instruction"), so the library traps with
// `fatalError`, which keeps it; this program is that check on a release build.

import Autograd

do {
    let a = Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
    let b = Variable(try Tensor(shape: [4], scalars: [1, 2, 3, 4]))
    let product = a * b  // expected to stop here: "multiply: shapes [2, 3] and [4] do not broadcast"
    print("no trap: a * b returned shape \(product.shape)")
} catch {
    print("setting up the operands failed: \(error)")
}
