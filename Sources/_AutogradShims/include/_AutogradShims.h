#ifndef AUTOGRAD_SHIMS_H
#define AUTOGRAD_SHIMS_H

// What the compiler targets, as Swift sees it: Swift's clang importer receives the same
// `-target-cpu` as the Swift code (`-Xswiftc -target-cpu -Xswiftc haswell` defines
// __AVX2__ and __FMA__ here), so these macros tell Swift code, at compile time, which
// instructions its own build may use. Integer macros import into Swift as constants that
// the optimizer folds away.

#if defined(__FMA__)
#define AUTOGRAD_TARGET_HAS_FMA 1
#else
#define AUTOGRAD_TARGET_HAS_FMA 0
#endif

#if defined(__AVX2__)
#define AUTOGRAD_TARGET_HAS_AVX2 1
#else
#define AUTOGRAD_TARGET_HAS_AVX2 0
#endif

#if defined(__AVX512F__)
#define AUTOGRAD_TARGET_HAS_AVX512F 1
#else
#define AUTOGRAD_TARGET_HAS_AVX512F 0
#endif

#endif
