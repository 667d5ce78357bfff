/*
 * Writing a pack of whole (undeltified) objects (see pack.h).
 *
 * A pack (git's Documentation/gitformat-pack.txt) is "PACK", version 2
 * and the object count as big-endian u32s, then each object as a header
 * -- its type and inflated size, seven bits a byte, low bits first, the
 * first byte holding the type and four bits of size -- and its content
 * as one zlib stream, then the SHA-1 of everything before it.
 */
#include <git2.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "error.h"
#include "pack.h"
#include "parallel.h"
#include "store-internal.h"
#include "strbuf.h"
#include "util.h"

/* Enough objects for deflate's setup to be amortised, small enough to share. */
#define PACK_BATCH 512
/* The pack goes to the indexer in pieces of this size (see feed()). */
#define FEED_PIECE 65536

/*
 * Both threads deflate batches and whichever is free hands the next
 * deflated batch, in order, to libgit2's indexer (one at a time): the
 * indexer inflates and hashes every object again, so with two cores
 * running it beside the deflating saves most of its time.
 */
struct pack_job {
	git_odb *odb;
	const git_oid *ids;
	size_t n, nbatches;
	struct strbuf *out;		/* per batch, until it is fed */
	unsigned char *deflated;	/* per batch */
	size_t next_deflate, next_feed;
	int feeding, failed;
	struct strbuf error;		/* why it failed, for the caller */
	git_odb_writepack *wp;
	EVP_MD_CTX *sha;
	git_indexer_progress stats;
	pthread_mutex_t lock;
	pthread_cond_t progress;	/* a batch was deflated or fed */
};

static void put_object_header(struct strbuf *out, git_object_t type,
			      size_t size)
{
	unsigned char c = (unsigned char)((type << 4) | (size & 0x0f));

	size >>= 4;
	while (size) {
		strbuf_addch(out, c | 0x80);
		c = size & 0x7f;
		size >>= 7;
	}
	strbuf_addch(out, c);
}

static int deflate_into(struct strbuf *out, z_stream *z, const void *data,
			size_t len)
{
	uLong bound = deflateBound(z, (uLong)len);
	int zrc;

	strbuf_grow(out, bound);
	z->next_in = (Bytef *)data;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)out->buf + out->len;
	z->avail_out = (uInt)bound;
	zrc = deflate(z, Z_FINISH);
	if (zrc != Z_STREAM_END)
		return -1;
	strbuf_setlen(out, out->len + (bound - z->avail_out));
	return deflateReset(z) == Z_OK ? 0 : -1;
}

/* Read and deflate batch b into job->out[b]; 0, or -1 with `error` said. */
static int deflate_batch(struct pack_job *job, size_t b, struct strbuf *error)
{
	size_t i, end = (b + 1) * PACK_BATCH;
	struct strbuf *out = &job->out[b];
	z_stream z;

	if (end > job->n)
		end = job->n;
	memset(&z, 0, sizeof(z));
	/* the speed git writes loose objects at (core.looseCompression) */
	if (deflateInit(&z, Z_BEST_SPEED) != Z_OK) {
		strbuf_addstr(error, "cannot write the pack: zlib failed");
		return -1;
	}
	for (i = b * PACK_BATCH; i < end && !error->len; i++) {
		git_odb_object *obj = NULL;
		const git_error *e;

		if (git_odb_read(&obj, job->odb, &job->ids[i])) {
			e = git_error_last();
			strbuf_addf(error, "cannot read an object to pack: %s",
				    e && e->message ? e->message : "not found");
			break;
		}
		put_object_header(out, git_odb_object_type(obj),
				  git_odb_object_size(obj));
		if (deflate_into(out, &z, git_odb_object_data(obj),
				 git_odb_object_size(obj)))
			strbuf_addstr(error, "cannot write the pack: zlib "
				      "failed");
		git_odb_object_free(obj);
	}
	deflateEnd(&z);
	return error->len ? -1 : 0;
}

/*
 * Hand `len` bytes to the indexer and the checksum, in pieces: given a
 * valid 35,087-object pack in one piece, libgit2 1.5's indexer said
 * "unexpected data at the end of the pack" (`git index-pack` took the
 * same bytes); a fetch feeds it in pieces too.
 */
static int feed(git_odb_writepack *wp, EVP_MD_CTX *sha, const void *data,
		size_t len, git_indexer_progress *stats)
{
	const unsigned char *p = data;
	size_t at;

	EVP_DigestUpdate(sha, data, len);
	for (at = 0; at < len; at += FEED_PIECE)
		if (wp->append(wp, p + at, len - at < FEED_PIECE ?
			       len - at : FEED_PIECE, stats))
			return -1;
	return 0;
}

/* Keep the first error; the workers stop.  Called under the lock. */
static void fail(struct pack_job *job, const char *message)
{
	if (!job->failed)
		strbuf_addstr(&job->error, message);
	job->failed = 1;
}

static void pack_worker(void *arg)
{
	struct pack_job *job = arg;

	pthread_mutex_lock(&job->lock);
	while (!job->failed && job->next_feed < job->nbatches) {
		size_t b;

		if (!job->feeding && job->deflated[job->next_feed]) {
			int rc;

			b = job->next_feed;
			job->feeding = 1;
			pthread_mutex_unlock(&job->lock);
			rc = feed(job->wp, job->sha, job->out[b].buf,
				  job->out[b].len, &job->stats);
			strbuf_release(&job->out[b]);
			if (rc)
				crm_git_error("cannot write the pack");
			pthread_mutex_lock(&job->lock);
			if (rc)
				fail(job, crm_error_last());
			job->feeding = 0;
			job->next_feed++;
		} else if (job->next_deflate < job->nbatches) {
			struct strbuf error = STRBUF_INIT;

			b = job->next_deflate++;
			pthread_mutex_unlock(&job->lock);
			deflate_batch(job, b, &error);
			pthread_mutex_lock(&job->lock);
			if (error.len)
				fail(job, error.buf);
			strbuf_release(&error);
			job->deflated[b] = 1;
		} else {
			/* the other thread is deflating or feeding */
			pthread_cond_wait(&job->progress, &job->lock);
			continue;
		}
		pthread_cond_broadcast(&job->progress);
	}
	pthread_mutex_unlock(&job->lock);
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int write_pack(struct pack_job *job)
{
	unsigned char header[12] = "PACK", trailer[EVP_MAX_MD_SIZE];
	unsigned int trailer_len = 0;

	put_be32(header + 4, 2);
	put_be32(header + 8, (uint32_t)job->n);
	if (feed(job->wp, job->sha, header, sizeof(header), &job->stats))
		return crm_git_error("cannot write the pack");
	crm_parallel(job->nbatches > 1 ? 2 : 1, pack_worker, job);
	if (job->failed) {
		crm_error_set(CRM_ERROR, "%s", job->error.buf);
		return CRM_ERROR;
	}
	if (!EVP_DigestFinal_ex(job->sha, trailer, &trailer_len) ||
	    job->wp->append(job->wp, trailer, trailer_len, &job->stats) ||
	    job->wp->commit(job->wp, &job->stats))
		return crm_git_error("cannot write the pack");
	return 0;
}

int crm_pack_write(git_repository *repo, const git_oid *ids, size_t n)
{
	struct pack_job job;
	size_t b;
	int rc = 0;

	memset(&job, 0, sizeof(job));
	job.ids = ids;
	job.n = n;
	job.nbatches = (n + PACK_BATCH - 1) / PACK_BATCH;
	job.out = xcalloc(job.nbatches ? job.nbatches : 1, sizeof(*job.out));
	job.deflated = xcalloc(job.nbatches ? job.nbatches : 1, 1);
	for (b = 0; b < job.nbatches; b++)
		strbuf_init(&job.out[b]);
	strbuf_init(&job.error);
	pthread_mutex_init(&job.lock, NULL);
	pthread_cond_init(&job.progress, NULL);
	job.sha = EVP_MD_CTX_new();
	if (!job.sha || !EVP_DigestInit_ex(job.sha, EVP_sha1(), NULL)) {
		crm_error_set(CRM_ERROR, "cannot start a SHA-1");
		rc = CRM_ERROR;
	} else if (n > UINT32_MAX || git_repository_odb(&job.odb, repo) ||
		   git_odb_write_pack(&job.wp, job.odb, NULL, NULL)) {
		rc = crm_git_error("cannot write the pack");
	} else {
		rc = write_pack(&job);
	}
	if (job.wp)
		job.wp->free(job.wp);
	for (b = 0; b < job.nbatches; b++)
		strbuf_release(&job.out[b]);
	free(job.out);
	free(job.deflated);
	strbuf_release(&job.error);
	pthread_mutex_destroy(&job.lock);
	pthread_cond_destroy(&job.progress);
	git_odb_free(job.odb);
	EVP_MD_CTX_free(job.sha);
	return rc;
}
