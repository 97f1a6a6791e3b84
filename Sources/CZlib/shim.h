// Shim over zlib for the CZlib system-library target: inflate (the deflate members of
// .npz archives, gzip-compressed IDX files) and crc32 (the checksums of ZIP members).
// Debian's zlib1g-dev installs zlib.h in /usr/include; Package.swift names the
// pkg-config module "zlib".
#ifndef SWIFT_AUTOGRAD_CZLIB_SHIM_H
#define SWIFT_AUTOGRAD_CZLIB_SHIM_H

#include <zlib.h>

#endif
