#ifndef CRM_PACK_READ_H
#define CRM_PACK_READ_H

#include <git2.h>
#include <git2/sys/odb_backend.h>

/*
 * An object database backend that reads the packs and loose objects of
 * `objects_dir` with pread(2), mapping nothing.
 *
 * libgit2 maps each pack's whole index and reads it by binary search:
 * a walk through a long history touches every page of it, and the
 * kernel maps 64 KiB around each touched page, so the index (106 MB for
 * the 3.8 million objects of a year at 100,000 customers) all ends up
 * counted as the process's memory.  This backend keeps one object id in
 * 64 of each index in memory (1.2 MB there), reads the 64 ids around
 * the one it seeks, then the object, and resolves deltas through a
 * small cache of bases.  It answers only what it reads back whole; any
 * other object, or one it cannot read, it passes on to libgit2's own
 * backends (which check every object's hash in any case).
 */
int crm_pack_read_backend(git_odb_backend **out, const char *objects_dir);

/* Put that backend in front of the repository's own. */
int crm_repo_read_without_mappings(git_repository *repo);

#endif
