import Dispatch
import Foundation
import PythonBridge
import Synchronization
import Testing

// These tests need only Debian's /usr/bin/python3 (no venv, no torch).
//
// The interpreter is started once per process, and the GIL stays with the
// thread that started it, while Swift Testing runs test bodies on whatever
// cooperative thread is free. So every Python call goes through `python { }`,
// which runs its closure on one dedicated thread (the thread that initializes
// Python) and hands back only Sendable values. `#expect` is used outside those
// closures, in the test's own task, so issues are attributed to the test.

/// The one executable all tests use: Debian's system Python.
let systemPython = "/usr/bin/python3"

/// A thread that owns the interpreter and runs submitted jobs one at a time.
final class PythonThread: Sendable {
    static let shared = PythonThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in loop() }
        thread.name = "python"
        thread.start()
    }

    /// The thread's body: runs jobs in order, forever.
    private func loop() -> Never {
        while true {
            pending.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }

    /// Runs `body` on the Python thread, after making sure Python is initialized.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(PythonError) -> T) async -> Result<T, PythonError> {
        await withCheckedContinuation { continuation in
            jobs.withLock {
                $0.append {
                    continuation.resume(returning: Result { () throws(PythonError) -> T in
                        try Python.initialize(executable: systemPython)
                        return try body()
                    })
                }
            }
            pending.signal()
        }
    }
}

/// Runs `body` on the Python thread; the single entry point for all Python calls in these tests.
func python<T: Sendable>(_ body: @escaping @Sendable () throws(PythonError) -> T) async -> Result<T, PythonError> {
    await PythonThread.shared.run(body)
}

/// `eval(expression, {})`. Call only inside `python { }`.
func eval(_ expression: String) throws(PythonError) -> PythonObject {
    let builtins = try Python.importModule("builtins")
    return try builtins.callMethod("eval", [PythonObject(expression), builtins.callMethod("dict")])
}

/// `exec(source, namespace)` and returns the namespace dict. Call only inside `python { }`.
func exec(_ source: String) throws(PythonError) -> PythonObject {
    let builtins = try Python.importModule("builtins")
    let namespace = try builtins.callMethod("dict")
    _ = try builtins.callMethod("exec", [PythonObject(source), namespace])
    return namespace
}

/// `sys.getrefcount(object)`. Call only inside `python { }`.
func refcount(_ object: PythonObject) throws(PythonError) -> Int {
    try Python.importModule("sys").callMethod("getrefcount", [object]).toInt()
}

/// The error of a failed result, or nil (recording an issue) if it succeeded.
func failure<T>(_ result: Result<T, PythonError>, sourceLocation: SourceLocation = #_sourceLocation) -> PythonError? {
    switch result {
    case .success(let value):
        Issue.record("expected a PythonError, got \(value)", sourceLocation: sourceLocation)
        return nil
    case .failure(let error):
        return error
    }
}

@Suite(.serialized)
struct PythonBridgeTests {
    // MARK: Interpreter

    @Test func initializeRunsDebianPython() async throws {
        let info = try await python { () throws(PythonError) in
            let sys = try Python.importModule("sys")
            let version = try sys.attribute("version").toString()
            return (Python.version, version, Python.executable, try sys.attribute("prefix").toString())
        }.get()
        #expect(info.0 == info.1.split(separator: " ").first.map(String.init))
        #expect(info.0.hasPrefix("3."))
        #expect(info.2 == systemPython)
        #expect(info.3 == "/usr")
    }

    @Test func initializeAgainIsANoOpButAnotherExecutableIsAnError() async throws {
        let again = await python { () throws(PythonError) in try Python.initialize(executable: systemPython) }
        #expect(throws: Never.self) { try again.get() }

        let other = await python { () throws(PythonError) in try Python.initialize(executable: "/bin/sh") }
        let error = failure(other)
        #expect(error?.typeName == PythonError.initializationErrorType)
        #expect(error?.message.contains("already runs as /usr/bin/python3") == true)

        let missing = await python { () throws(PythonError) in try Python.initialize(executable: "/x/bin/python") }
        #expect(failure(missing)?.message == "no Python at /x/bin/python")
    }

    // MARK: Conversions

    @Test func doublesRoundTripExactly() async throws {
        let values: [Double] = [
            0.1, 1.0 / 3.0, 1e-300, -0.0, 0.0, .infinity, -.infinity, .nan,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, -123456.789, 2.5e-308,
        ]
        let (one, list, reprs) = try await python { () throws(PythonError) in
            let one = try values.map { (v) throws(PythonError) in try PythonObject(v).toDouble() }
            let list = try PythonObject.floatList(values).toDoubles()
            let builtins = try Python.importModule("builtins")
            let reprs = try [0.1, -0.0, 1e-300].map { (v) throws(PythonError) in
                try builtins.callMethod("repr", [PythonObject(v)]).toString()
            }
            return (one, list, reprs)
        }.get()
        #expect(one.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(list.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(reprs == ["0.1", "-0.0", "1e-300"])
    }

    @Test func pythonNumbersConvertToDoubles() async throws {
        let (fromInts, fromTuple, fromGenerator, bigInt) = try await python { () throws(PythonError) in
            (try eval("[1, 2.5, True, 2**53 + 1, -7]").toDoubles(),
             try eval("(0.25, 3)").toDoubles(),
             try eval("(x / 10 for x in range(4))").toDoubles(),
             try eval("10**20").toDouble())
        }.get()
        #expect(fromInts == [1, 2.5, 1, 9_007_199_254_740_992, -7])
        #expect(fromTuple == [0.25, 3])
        #expect(fromGenerator == [0, 0.1, 0.2, 0.3])
        #expect(bigInt == 1e20)
    }

    @Test func intsRoundTripExactly() async throws {
        let values = [0, 1, -1, 42, Int(Int32.max) + 1, Int.max, Int.min]
        let (back, maxFromPython, minFromPython, fromBool) = try await python { () throws(PythonError) in
            (try values.map { (v) throws(PythonError) in try PythonObject(v).toInt() },
             try eval("2**63 - 1").toInt(),
             try eval("-2**63").toInt(),
             try PythonObject(true).toInt())
        }.get()
        #expect(back == values)
        #expect(maxFromPython == Int.max)
        #expect(minFromPython == Int.min)
        #expect(fromBool == 1)

        let overflow = await python { () throws(PythonError) in try eval("2**64").toInt() }
        let error = failure(overflow)
        #expect(error?.typeName == PythonError.conversionErrorType)
        #expect(error?.message.hasPrefix("expected int, got int (OverflowError") == true)
    }

    @Test func stringsRoundTripWithUnicode() async throws {
        let values = ["", "hello", "héllo wörld", "日本語", "🐍🔥", "e\u{301}", "a\0b", "tab\tnew\nline"]
        let (back, lengths) = try await python { () throws(PythonError) in
            let builtins = try Python.importModule("builtins")
            return (try values.map { (v) throws(PythonError) in try PythonObject(v).toString() },
                    try values.map { (v) throws(PythonError) in try builtins.callMethod("len", [PythonObject(v)]).toInt() })
        }.get()
        #expect(back == values)
        #expect(lengths == values.map { $0.unicodeScalars.count })  // Python counts code points
    }

    @Test func boolsNoneAndTruthiness() async throws {
        let (truths, noneChecks, description) = try await python { () throws(PythonError) in
            (try [PythonObject(true), PythonObject(false), eval("[]"), eval("[0]"), eval("0.0"), eval("''"), PythonObject.none]
                .map { (o) throws(PythonError) in try o.toBool() },
             [PythonObject.none.isNone, try eval("None").isNone, PythonObject(0).isNone],
             PythonObject.none.description)
        }.get()
        #expect(truths == [true, false, false, true, false, false, false])
        #expect(noneChecks == [true, true, false])
        #expect(description == "None")
    }

    @Test func listsTuplesAndIterablesToArray() async throws {
        let (fromList, fromTuple, fromRange, fromDict, tupleRepr) = try await python { () throws(PythonError) in
            let list = PythonObject.list([PythonObject(1), PythonObject("two"), PythonObject(3.0)])
            let tuple = PythonObject.tuple([PythonObject(1), PythonObject.none])
            return (try list.toArray().map(\.description),
                    try tuple.toArray().map(\.description),
                    try eval("range(3)").toArray().map { (o) throws(PythonError) in try o.toInt() },
                    try eval("{'a': 1, 'b': 2}").toArray().map { (o) throws(PythonError) in try o.toString() },
                    tuple.description)
        }.get()
        #expect(fromList == ["1", "two", "3.0"])
        #expect(fromTuple == ["1", "None"])
        #expect(fromRange == [0, 1, 2])
        #expect(fromDict == ["a", "b"])
        #expect(tupleRepr == "(1, None)")
    }

    // MARK: Calls

    @Test func callBuiltinsWithArgumentsAndKeywords() async throws {
        let (sorted, fsum, naiveSum, upper, joined) = try await python { () throws(PythonError) in
            let builtins = try Python.importModule("builtins")
            let math = try Python.importModule("math")
            let items = PythonObject.list([PythonObject(3), PythonObject(1), PythonObject(2)])
            let tenths = PythonObject.floatList(Array(repeating: 0.1, count: 10))
            return (
                try builtins.callMethod("sorted", [items], keywords: [("reverse", PythonObject(true))])
                    .toArray().map { (o) throws(PythonError) in try o.toInt() },
                try math.callMethod("fsum", [tenths]).toDouble(),
                try builtins.attribute("sum").call([tenths]).toDouble(),
                try PythonObject("abc").callMethod("upper").toString(),
                try PythonObject("-").callMethod("join", [PythonObject.list([PythonObject("a"), PythonObject("b")])]).toString()
            )
        }.get()
        #expect(sorted == [3, 2, 1])
        #expect(fsum == 1.0)
        #expect(naiveSum == 0.9999999999999999)
        #expect(upper == "ABC")
        #expect(joined == "a-b")
    }

    // MARK: Errors

    @Test func raisedExceptionsBecomePythonErrors() async throws {
        let valueError = failure(await python { () throws(PythonError) in
            _ = try Python.importModule("builtins").callMethod("int", [PythonObject("x")])
        })
        #expect(valueError?.typeName == "ValueError")
        #expect(valueError?.message == "invalid literal for int() with base 10: 'x'")
        #expect(valueError?.description == "ValueError: invalid literal for int() with base 10: 'x'")

        let attributeError = failure(await python { () throws(PythonError) in _ = try PythonObject(1).attribute("nope") })
        #expect(attributeError?.typeName == "AttributeError")
        #expect(attributeError?.message == "'int' object has no attribute 'nope'")

        let typeError = failure(await python { () throws(PythonError) in
            _ = try Python.importModule("math").callMethod("sqrt", [], keywords: [("x", PythonObject(4.0))])
        })
        #expect(typeError?.typeName == "TypeError")

        let keyError = failure(await python { () throws(PythonError) in _ = try eval("{}['k']") })
        #expect(keyError?.typeName == "KeyError")
        #expect(keyError?.message == "'k'")
    }

    @Test func exceptionsRaisedInPythonCodeCarryATraceback() async throws {
        let error = failure(await python { () throws(PythonError) in
            let namespace = try exec("""
                def inner():
                    return 1 / 0
                def outer():
                    return inner()
                """)
            _ = try namespace.callMethod("__getitem__", [PythonObject("outer")]).call()
        })
        #expect(error?.typeName == "ZeroDivisionError")
        #expect(error?.message == "division by zero")
        let traceback = error?.traceback ?? ""
        #expect(traceback.hasPrefix("Traceback (most recent call last):"))
        #expect(traceback.contains("in inner"))
        #expect(traceback.hasSuffix("ZeroDivisionError: division by zero"))
        #expect(error?.description.hasPrefix("ZeroDivisionError: division by zero\nTraceback") == true)
    }

    @Test func importingAMissingModuleIsModuleNotFoundError() async throws {
        let error = failure(await python { () throws(PythonError) in _ = try Python.importModule("no_such_module_xyz") })
        #expect(error?.typeName == "ModuleNotFoundError")
        #expect(error?.message == "No module named 'no_such_module_xyz'")
    }

    @Test func conversionFailuresNameExpectedAndActualTypes() async throws {
        let cases: [(String, @Sendable () throws(PythonError) -> Void)] = [
            ("expected float, got str", { () throws(PythonError) in _ = try PythonObject("1.5").toDouble() }),
            ("expected float, got NoneType", { () throws(PythonError) in _ = try PythonObject.none.toDouble() }),
            ("expected int, got float", { () throws(PythonError) in _ = try PythonObject(1.5).toInt() }),
            ("expected an iterable, got int", { () throws(PythonError) in _ = try PythonObject(5).toArray() }),
            ("expected float at index 1, got str", { () throws(PythonError) in
                _ = try PythonObject.list([PythonObject(1.0), PythonObject("a")]).toDoubles()
            }),
        ]
        for (expected, body) in cases {
            let error = failure(await python(body))
            #expect(error?.typeName == PythonError.conversionErrorType)
            #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "nil") should start with \(expected)")
        }
    }

    @Test func noExceptionIsLeftPendingAfterAFailure() async throws {
        // A pending exception would make the next successful C call fail with a SystemError.
        let results = try await python { () throws(PythonError) in
            var results: [Double] = []
            for _ in 0..<3 {
                _ = try? PythonObject("x").toDouble()
                _ = try? PythonObject(1).attribute("nope")
                _ = try? Python.importModule("no_such_module_xyz")
                results.append(try Python.importModule("math").callMethod("sqrt", [PythonObject(16.0)]).toDouble())
            }
            return results
        }.get()
        #expect(results == [4, 4, 4])
    }

    @Test func descriptionFallsBackWhenStrRaises() async throws {
        let (description, toStringError) = try await python { () throws(PythonError) in
            let namespace = try exec("""
                class Bad:
                    def __str__(self): raise RuntimeError("no str")
                    def __repr__(self): return "<Bad>"
                bad = Bad()
                """)
            let bad = try namespace.callMethod("__getitem__", [PythonObject("bad")])
            let strError: PythonError?
            do throws(PythonError) { _ = try bad.toString(); strError = nil } catch { strError = error }
            return (bad.description, strError)
        }.get()
        #expect(description == "<Bad>")
        #expect(toStringError?.typeName == "RuntimeError")
        #expect(toStringError?.message == "no str")
    }

    // MARK: Reference counting

    @Test func referenceCountsAreBalanced() async throws {
        let counts = try await python { () throws(PythonError) in
            let builtins = try Python.importModule("builtins")
            let gc = try Python.importModule("gc")
            let subject = try eval("object()")
            let none = PythonObject.none

            /// 1000 rounds of every kind of call, successful and failing, on `subject`.
            func exercise() throws(PythonError) {
                for _ in 0..<1000 {
                    _ = PythonObject.tuple([subject, subject])
                    _ = try builtins.callMethod("id", [subject])
                    _ = try? builtins.callMethod("isinstance", [subject, subject])  // TypeError
                    _ = try builtins.callMethod("sorted", [PythonObject.list([subject, none])],
                                                keywords: [("key", builtins.attribute("id"))])
                    _ = try subject.attribute("__class__")
                    _ = try? subject.attribute("missing")  // AttributeError
                    _ = try? subject.toDouble()  // conversion error
                    _ = try? PythonObject.list([subject]).toDoubles()  // conversion error
                    _ = try PythonObject.tuple([subject, none]).toArray()
                    _ = subject.description
                    _ = PythonObject.none.isNone
                }
            }

            // Python's own caches and collections of older garbage also move
            // None's count: warm up, and keep the cycle collector out.
            _ = try gc.callMethod("collect")
            _ = try gc.callMethod("disable")
            defer { _ = try? gc.callMethod("enable") }
            try exercise()
            try exercise()

            let before = try refcount(subject)
            let noneBefore = try refcount(none)

            // 1000 wrappers of the same object: each holds exactly one reference.
            let list = PythonObject.list(Array(repeating: subject, count: 1000))
            var wrappers: [PythonObject]? = try list.toArray()
            let whileHeld = try refcount(subject)
            wrappers = nil
            _ = wrappers
            let afterWrappers = try refcount(subject)

            try exercise()
            let afterCalls = try refcount(subject)
            let noneAfter = try refcount(none)
            return (before, whileHeld, afterWrappers, afterCalls, noneBefore, noneAfter)
        }.get()
        #expect(counts.1 == counts.0 + 2000)  // the list's 1000 plus the wrappers' 1000
        #expect(counts.2 == counts.0 + 1000)  // the list's 1000 remain
        #expect(counts.3 == counts.0 + 1000)
        // None's count is exact too once warmed up. (CPython's attribute cache
        // starts with None in each of its 4096 slots and releases one per slot
        // it fills; the bridge interns attribute names so that it stops filling.)
        #expect(counts.5 == counts.4, "None: \(counts.4) -> \(counts.5)")
    }
}
