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

#endif
