#ifndef CRM_PACK_H
#define CRM_PACK_H

#include <git2.h>

/*
 * Write the objects `ids` -- read from the repository's object
 * database, typically its in-memory backend -- into it as one pack of
 * whole objects, deflated on two threads; libgit2's indexer checks each
 * object and writes the pack's index.  Used by bulk commits instead of
 * git_packbuilder, whose delta search over 100,000 new records took
 * most of an import; `git gc` deltifies the pack later.
 */
int crm_pack_write(git_repository *repo, const git_oid *ids, size_t n);

#endif
