#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include <stddef.h>

#include "node.h"

/*
 * The three-way merge of one record, field by field, as `crm sync` and
 * the git merge driver use it.  Pure logic on node trees: no git, no I/O.
 *
 * The result is always a valid record (crm_record_check), never holds
 * conflict markers, and never drops a value without saying so.
 *
 * Rules, field by field (ours is the local side, theirs the incoming):
 *
 * - A field changed on one side only, or identically on both, takes that
 *   change; removed on one side and untouched on the other, it is
 *   removed.
 * - Lists of scalars (emails, phones, tags, custom ones) merge as sets:
 *   an item added on either side is added; an item of the base removed
 *   on either side is removed.  Ours' order, then theirs' new items.
 *   A list that merges to nothing is dropped, as crm drops an emptied
 *   list.
 * - log: the union of both sides' entries (deep-equal entries are one),
 *   minus entries of the base that either side removed, sorted by the
 *   instant of `at` (offsets honoured), ties in ours-then-theirs order.
 *   An `at` that does not parse keeps the place it had on its side.
 * - deals and followups: entries matched by `id` and merged field by
 *   field.  An id added on both sides with different content keeps both:
 *   theirs is renamed (a deal to `<id>-2`, `-3`, ...; a follow-up to the
 *   largest follow-up id + 1), with a note.  An entry deleted on one side
 *   and changed on the other is kept, changed, with a note.
 * - Maps nest: custom maps (and entries) merge key by key.
 * - Anything else changed differently on both sides is a conflict.
 *
 * Conflicts.  The field keeps OUR value (or stays absent if ours
 * deleted it), and an entry is appended to the top-level list
 * `conflicts`, always the last key of the record:
 *
 *	conflicts:
 *	- field: owner			(a path: address.city,
 *	  ours: bob			 deals/website.stage,
 *	  theirs: carol			 followups/3.due)
 *	  base: alice			(only if the base had the field)
 *	- field: address.city
 *	  deleted: ours			(instead of `ours:` when ours
 *	  theirs: Lyon			 deleted it; likewise
 *	  base: Paris			 `deleted: theirs`)
 *
 * `ours`, `theirs` and `base` hold the values whole, of any shape.
 * Resolving a conflict (`crm resolve`) is thus either dropping the entry
 * (keep ours) or writing `theirs` into the field (or deleting the field
 * for `deleted: theirs`) and dropping the entry.  Lists `conflicts` that
 * ours or theirs already carry merge as a union of entries (identical
 * entries once; an entry resolved on one side and untouched on the other
 * stays resolved), and a new conflict identical to one already listed is
 * not listed again.  Both sides making the same change is never a
 * conflict.
 *
 * Whole records: deleted on both sides, or on one side and unchanged on
 * the other, it is deleted (merged is NULL); deleted on one side and
 * changed on the other, the changed version is kept, with a note.  Added
 * on both sides with different content (one id, two different
 * customers), merged is ours and theirs_renamed a copy of theirs, for
 * the caller to store under a new id.
 */
struct crm_merge_note {
	char *text;	/* one line, "jane-doe: deal 'website' added ..." */
};

struct crm_merge_result {
	/* NULL when the record is deleted by the merge */
	struct crm_node *merged;
	/* theirs, when both sides added a different record with this id */
	struct crm_node *theirs_renamed;
	/* conflicts this merge appended to merged's `conflicts` list */
	size_t conflicts;
	struct crm_merge_note *notes;
	size_t nnotes, alloc;
};

/*
 * Merge one record.  `base` is the common ancestor (NULL if the record
 * did not exist there); `ours` and `theirs` are NULL where deleted.  `id`
 * prefixes notes and errors.  `out` need not be initialised; on success
 * the caller releases it, on error it is left empty.  Fails with
 * CRM_EINVALID if a version is not a map, or CRM_EPARSE if the result
 * would not be a valid record (only when an input is not one).
 */
int crm_merge_records(struct crm_merge_result *out, const char *id,
		      const struct crm_node *base, const struct crm_node *ours,
		      const struct crm_node *theirs);
void crm_merge_result_release(struct crm_merge_result *r);

#endif
