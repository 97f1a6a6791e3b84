// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-autograd",
    products: [
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "AutogradNN", targets: ["AutogradNN"]),
        /// The parity harness alone: spec, expression language, op catalogue, fixtures,
        /// comparison, reports and fuzzer. It links no autograd library, so that any
        /// Swift autograd library can be held to torch's fixtures with it.
        .library(name: "Parity", targets: ["Parity"]),
        /// This repository's library as a backend of the harness, and training parity.
        .library(name: "ParityAutograd", targets: ["ParityAutograd"]),
        .executable(name: "gen-fixtures", targets: ["gen-fixtures"]),
        .executable(name: "parity", targets: ["parity"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "spiral", targets: ["spiral"]),
        .executable(name: "sine-lstm", targets: ["sine-lstm"]),
        .executable(name: "digits-cnn", targets: ["digits-cnn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // `swift package generate-documentation` (the DocC catalogs under Sources/*/*.docc)
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: - The autograd library

        /// Tensors, Variables, Functions and the backward engine.
        .target(
            name: "Autograd",
            dependencies: ["_AutogradShims", .product(name: "RealModule", package: "swift-numerics")]
        ),
        /// C macros that tell Swift code which instructions its build targets (FMA, AVX2),
        /// as the clang importer sees `-target-cpu`. Internal: no stable API.
        .target(name: "_AutogradShims"),
        /// OpenBLAS's CBLAS from Debian's libopenblas-dev, linked only by `bench` (which times
        /// dgemm itself). The library does not link it: it opens OpenBLAS privately at run
        /// time (Autograd/Tensor/BLAS.swift), so that a torch loaded into the same process
        /// keeps its own BLAS.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: - Neural networks

        /// Modules (Linear, Sequential, MLP, activations), parameters and their
        /// initialisation, optimizers (SGD, Adam, AdamW), gradient clipping, losses,
        /// a DataLoader, safetensors files that PyTorch reads and writes, numpy's .npy and
        /// .npz files, CSV tables, MNIST's IDX files and small datasets.
        .target(name: "AutogradNN", dependencies: ["Autograd", "CZlib"]),
        /// zlib from Debian's zlib1g-dev: inflate for compressed .npz members and gzip
        /// files, crc32 for ZIP checksums.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - The parity harness

        /// The harness's core: the case spec, the expression language, the op catalogue
        /// (names, operands, options, torch counterparts), the fixture format, the
        /// comparison, the reports and the fuzzer. It depends on nothing: every autograd
        /// library, this repository's included, is a backend of it.
        .target(name: "Parity"),

        /// This repository's library as a harness backend (`AutogradBackend`, with an
        /// implementation for every catalogue entry), and training parity (its format and
        /// replay), which trains AutogradNN models.
        .target(name: "ParityAutograd", dependencies: ["Parity", "Autograd", "AutogradNN"]),

        /// Another backend: scalar cases differentiated by the Swift compiler
        /// (`import _Differentiation`), as a fourth reference beside torch, this library's
        /// backward and central differences. Kept apart so that the other modules do not
        /// import `_Differentiation`.
        .target(name: "ParityDifferentiation", dependencies: ["Parity"]),

        /// libpython3.11 from Debian's libpython3-dev, linked at build time.
        .systemLibrary(
            name: "CPython",
            pkgConfig: "python3-embed",
            providers: [.apt(["libpython3-dev"])]
        ),
        /// A small throwing bridge over the CPython C API.
        .target(name: "PythonBridge", dependencies: ["CPython"]),

        /// The command-line options `gen-fixtures` and `parity` share (the limits' flags).
        .target(
            name: "ParityCommandLine",
            dependencies: ["Parity", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: - Executables

        .executableTarget(
            name: "gen-fixtures",
            dependencies: [
                "Parity", "ParityAutograd", "ParityCommandLine", "PythonBridge", "AutogradNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // loaded by path at run time, next to TorchBackend.swift, TrainingGenerator.swift
            // and TorchIndependence.swift
            exclude: ["torch_ops.py", "torch_training.py", "torch_independence.py", "torch_opinfo.py"]
        ),
        .executableTarget(
            name: "parity",
            dependencies: [
                "Autograd", "Parity", "ParityAutograd", "ParityCommandLine", "ParityDifferentiation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        /// Swift against torch on the same workloads, torch in its own Python process
        /// (torch_workloads.py, spoken to over pipes), in alternating rounds:
        /// `bash tools/bench.sh`. It embeds no Python.
        .executableTarget(
            name: "bench",
            dependencies: [
                "Autograd", "AutogradNN", "COpenBLAS", "_AutogradShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["torch_workloads.py"]  // run by path, as the child process's script
        ),

        /// Trains the spiral classifier and draws its decision boundary and loss curve:
        /// `swift run -c release spiral` (writes docs/spiral.svg).
        .executableTarget(
            name: "spiral",
            dependencies: [
                "Autograd", "AutogradNN", "ExampleSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        /// DeZero's step 60: an LSTM on the sine curve with truncated BPTT, its predictions
        /// on a cosine drawn as an SVG: `swift run -c release sine-lstm` (writes docs/sine-lstm.svg).
        .executableTarget(
            name: "sine-lstm",
            dependencies: [
                "Autograd", "AutogradNN", "ExampleSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        /// A small CNN (conv, batch norm, max pooling, Adam) on scikit-learn's 8×8 digits, or on
        /// MNIST's IDX files with `--mnist DIR`; its confusion matrix and misclassified images
        /// drawn as an SVG: `swift run -c release digits-cnn` (writes docs/digits-cnn.svg).
        .executableTarget(
            name: "digits-cnn",
            dependencies: [
                "Autograd", "AutogradNN", "ExampleSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        /// What the examples' pictures share (formatting, the frame, a line-chart panel, a
        /// confusion matrix and its heat map, grayscale images, a progress bar on stderr).
        /// Internal to the examples: no stable API.
        .target(name: "ExampleSupport"),

        /// Multiplies two tensors whose shapes do not broadcast, so that
        /// `tools/check-release-traps.sh` can check, on a release build, that the trap
        /// prints the library's message. Not a tool: it exists for that check only.
        .executableTarget(name: "trap-message-check", dependencies: ["Autograd"]),

        // MARK: - Tests

        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(
            name: "AutogradNNTests",
            dependencies: ["AutogradNN", "Autograd", "Parity", "ParityAutograd"],
            // numpy- and safetensors-written files, found from the tests' #filePath
            exclude: ["Fixtures"]
        ),
        /// The library as a user sees it: no `@testable`, the documented examples, DeZero's steps.
        .testTarget(name: "AutogradPublicAPITests", dependencies: ["Autograd", "AutogradNN"]),
        /// The harness core alone: these tests link no autograd library.
        .testTarget(name: "ParityTests", dependencies: ["Parity"]),
        /// The harness run on this library: the committed fixtures, the fuzzer, the evaluator.
        .testTarget(name: "ParityAutogradTests", dependencies: ["ParityAutograd", "Parity", "Autograd"]),
        /// A library from outside: a small autograd written in the test itself, plugged into
        /// the harness product alone (no Autograd), run on the committed scalar suites.
        .testTarget(name: "ForeignBackendTests", dependencies: ["Parity"]),
        .testTarget(name: "PythonBridgeTests", dependencies: ["PythonBridge"]),
        .testTarget(name: "ExampleSupportTests", dependencies: ["ExampleSupport"]),
        .testTarget(name: "ParityDifferentiationTests", dependencies: ["ParityDifferentiation", "Parity", "ParityAutograd"]),
        /// bench's statistics, verdicts and torch-process errors (no timing asserted).
        .testTarget(name: "BenchTests", dependencies: ["bench"]),
    ]
)
