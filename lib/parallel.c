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
