#!/usr/bin/env bash
# The harness as another library uses it: a fresh package (MicroGrad) made from the code of
# the article "Verify your own library" (Sources/Parity/Parity.docc/VerifyYourOwnLibrary.md),
# depending on this checkout by path and on the `Parity` product only, runs `swift test`
# against the fixtures that ship with the harness. It then checks that nothing of the
# repository's library was built: no Autograd, AutogradNN or ParityAutograd module, and no
# OpenBLAS or Python in the test binary. CI runs it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# SwiftPM names a package depended on by path after its folder: link the checkout under a
# known name so that the manifest can say `package: "swift-autograd"` as the article does.
ln -s "$repo" "$work/swift-autograd"
package="$work/MicroGrad"
mkdir -p "$package/Sources/MicroGrad" "$package/Tests/MicroGradTests"

# The article's ```swift blocks, in order: the manifest, the library, the backend, two tests.
python3 - "$repo/Sources/Parity/Parity.docc/VerifyYourOwnLibrary.md" "$package" <<'PY'
import re, sys
article, package = sys.argv[1], sys.argv[2]
blocks = re.findall(r"```swift\n(.*?)```", open(article).read(), re.S)
if len(blocks) < 5:
    sys.exit(f"check-harness-alone: expected 5 swift blocks in {article}, found {len(blocks)}")
manifest, library, backend, *tests = blocks[:5]
manifest = manifest.replace('.package(url: "https://github.com/OWNER/swift-autograd", branch: "main")',
                            '.package(path: "../swift-autograd")')
if "../swift-autograd" not in manifest:
    sys.exit("check-harness-alone: the article's manifest no longer names the dependency as expected")
# The tools-version comment must be the manifest's first line.
manifest = manifest.replace("// Package.swift\n", "")
open(f"{package}/Package.swift", "w").write(manifest)
open(f"{package}/Sources/MicroGrad/Node.swift", "w").write("import Foundation\n\n" + library)
open(f"{package}/Tests/MicroGradTests/MicroGradBackend.swift", "w").write("import MicroGrad\nimport Parity\n\n" + backend)
open(f"{package}/Tests/MicroGradTests/ParityTests.swift", "w").write(
    "import MicroGrad\nimport Parity\nimport Testing\n\n" + "\n".join(tests))
PY

# The harness's own tests too, as a second test target of that package: they need nothing
# but Parity either.
cp -R "$repo/Tests/ParityTests" "$package/Tests/HarnessTests"
sed -i 's|^    \]$|        .testTarget(name: "HarnessTests", dependencies: [.product(name: "Parity", package: "swift-autograd")]),\n    ]|' "$package/Package.swift"
grep -q '"HarnessTests"' "$package/Package.swift" || { echo "check-harness-alone: cannot add the harness's tests" >&2; exit 1; }

cd "$package"
echo "check-harness-alone: swift test in $package (depends on Parity only)"
swift test 2>&1 | tee "$work/test.log" | grep -E "passed|failed|error:|skipped" || true
grep -qE "Test run with [0-9]+ tests? .*passed" "$work/test.log" || {
    echo "check-harness-alone: the article's package did not build or its tests failed" >&2
    tail -40 "$work/test.log" >&2
    exit 1
}
built="$(ls .build/debug/Modules 2>/dev/null || true)"
if ! grep -qx "Parity.swiftmodule" <<<"$built"; then
    echo "check-harness-alone: cannot find the built modules (.build/debug/Modules) to check" >&2
    exit 1
fi
for module in Autograd AutogradNN ParityAutograd; do
    if grep -qx "$module.swiftmodule" <<<"$built"; then
        echo "check-harness-alone: $module was built for a package that depends on Parity only" >&2
        exit 1
    fi
done
binary="$(find .build/debug -maxdepth 1 -name '*PackageTests.xctest' | head -1)"
if [ -n "$binary" ] && ldd "$binary" 2>/dev/null | grep -qE "openblas|python"; then
    echo "check-harness-alone: the test binary links OpenBLAS or Python" >&2
    exit 1
fi
echo "check-harness-alone: the article's package builds and passes with the harness alone (no Autograd, AutogradNN, ParityAutograd, OpenBLAS or Python)"
