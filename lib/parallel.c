/* Running one piece of work on several threads (see parallel.h). */
#include <pthread.h>
#include <stdlib.h>

#include "error.h"
#include "parallel.h"
#include "util.h"

struct helper {
	void (*work)(void *arg);
	void *arg;
};

static void *helper_main(void *data)
{
	struct helper *h = data;

	h->work(h->arg);
	crm_error_clear();
	return NULL;
}

void crm_parallel(int nthreads, void (*work)(void *arg), void *arg)
{
	struct helper h = { work, arg };
	pthread_t *threads;
	int started = 0, t;

	threads = xcalloc(nthreads > 1 ? (size_t)nthreads : 1,
			  sizeof(*threads));
	for (t = 1; t < nthreads; t++)
		if (!pthread_create(&threads[started], NULL, helper_main, &h))
			started++;
	work(arg);
	for (t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
}

struct batches {
	size_t n, batch, next;
	void (*fn)(size_t begin, size_t end, void *arg);
	void *arg;
	pthread_mutex_t lock;
};

static void batch_worker(void *data)
{
	struct batches *b = data;

	for (;;) {
		size_t begin, end;

		pthread_mutex_lock(&b->lock);
		begin = b->next;
		end = b->n - begin > b->batch ? begin + b->batch : b->n;
		b->next = end;
		pthread_mutex_unlock(&b->lock);
		if (begin >= end)
			break;
		b->fn(begin, end, b->arg);
	}
}

void crm_parallel_batches(int nthreads, size_t n, size_t batch,
			  void (*fn)(size_t begin, size_t end, void *arg),
			  void *arg)
{
	struct batches b = { n, batch ? batch : 1, 0, fn, arg,
			     PTHREAD_MUTEX_INITIALIZER };
	size_t nbatches = (n + b.batch - 1) / b.batch;

	if ((size_t)nthreads > nbatches)
		nthreads = nbatches ? (int)nbatches : 1;
	crm_parallel(nthreads, batch_worker, &b);
	pthread_mutex_destroy(&b.lock);
}
