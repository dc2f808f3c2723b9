#ifndef CCOVE_LINUX_H
#define CCOVE_LINUX_H

#include <stdint.h>
#include <sys/types.h>

// openat2(2) with a RESOLVE_* mask. Glibc 2.36 (Debian 12) has no wrapper for it and Swift
// cannot call the variadic syscall(2), so this shim exists. Returns a descriptor, or -1 with errno.
int cove_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

// The RESOLVE_* flags of <linux/openat2.h>, exported as constants Swift can read.
extern const uint64_t cove_resolve_beneath;
extern const uint64_t cove_resolve_in_root;
extern const uint64_t cove_resolve_no_magiclinks;
extern const uint64_t cove_resolve_no_xdev;

// makedev(3), major(3) and minor(3) are macros in glibc, which Swift cannot import.
uint64_t cove_makedev(uint32_t major, uint32_t minor);
uint32_t cove_major(uint64_t device);
uint32_t cove_minor(uint64_t device);

#endif
