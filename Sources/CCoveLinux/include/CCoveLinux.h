#ifndef CCOVE_LINUX_H
#define CCOVE_LINUX_H

#include <stdint.h>
#include <sys/types.h>
// The xattr calls (lsetxattr, lgetxattr, llistxattr, fsetxattr): Swift's Glibc module leaves them out.
#include <sys/xattr.h>

// openat2(2) with a RESOLVE_* mask. Glibc 2.36 (Debian 12) has no wrapper for it and Swift
// cannot call the variadic syscall(2), so this shim exists. Returns a descriptor, or -1 with errno.
int cove_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

// The RESOLVE_* flags of <linux/openat2.h>, exported as constants Swift can read.
extern const uint64_t cove_resolve_beneath;
extern const uint64_t cove_resolve_in_root;
extern const uint64_t cove_resolve_no_magiclinks;
extern const uint64_t cove_resolve_no_xdev;

// O_PATH: glibc defines it only under _GNU_SOURCE, which Swift's Glibc module does not set.
extern const int cove_o_path;

// makedev(3), major(3) and minor(3) are macros in glibc, which Swift cannot import.
uint64_t cove_makedev(uint32_t major, uint32_t minor);
uint32_t cove_major(uint64_t device);
uint32_t cove_minor(uint64_t device);

// Mounts overlayfs at `target` through the new mount API (fsopen, fsconfig "lowerdir+" once per
// layer, fsmount, move_mount), which has no one-page limit on the lower directories (Linux 6.8+).
// `lowers` are top-most first; `upper` and `work` may both be NULL for a read-only mount.
// glibc 2.36 declares these calls but not the "lowerdir+" key's constants together with
// <sys/mount.h>, hence C. Returns 0, or -1 with errno.
int cove_mount_overlay_layers(const char *target, const char *const *lowers, int count, const char *upper,
                              const char *work);

#endif
