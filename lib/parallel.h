#ifndef CRM_PARALLEL_H
#define CRM_PARALLEL_H

/*
 * Run work(arg) on `nthreads` threads at once -- the calling thread and
 * nthreads - 1 helpers -- and return when all are done.  The work shares
 * `arg` and takes its own items from it under its own lock.  A helper
 * that cannot be started is done without: the others take its share.
 * Helpers free their thread-local error message when they end; an error
 * the caller needs must be copied into `arg`.
 */
void crm_parallel(int nthreads, void (*work)(void *arg), void *arg);

/*
 * Run fn on every range [begin, end) of `batch` items out of n, on up
 * to `nthreads` threads, each range once; ranges are handed out in
 * order as threads become free, so a slow one does not hold up the rest.
 */
void crm_parallel_batches(int nthreads, size_t n, size_t batch,
			  void (*fn)(size_t begin, size_t end, void *arg),
			  void *arg);

#endif
