// Debian's libarchive (package libarchive-dev): reading and writing tar archives with
// gzip, zstd and xz filters. Only CoveLinux imports this module.
#include <archive.h>
#include <archive_entry.h>
