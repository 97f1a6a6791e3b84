// Shim over OpenBLAS's CBLAS interface for the COpenBLAS system-library target.
//
// Debian's libopenblas-dev installs cblas.h under a variant directory
// (/usr/include/x86_64-linux-gnu/openblas-pthread/), which `pkg-config openblas`
// adds to the include path; Package.swift names that pkg-config module.
#ifndef SWIFT_AUTOGRAD_COPENBLAS_SHIM_H
#define SWIFT_AUTOGRAD_COPENBLAS_SHIM_H

#include <cblas.h>

#endif
