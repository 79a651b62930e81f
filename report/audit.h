/* audit.h - the hash-chained audit log's logic, independent of storage
 * (DOMAIN.md §1.6 items 3-4; 18 U.S.C. 3123(a)(3): who ran it, when, with
 * which configuration, and what was collected).
 *
 * A row is (seq, ts_utc, operator, action, run_id, detail).  Its canonical
 * form is a fixed text layout with every free-text field percent-escaped,
 * so that no two different rows have the same canonical bytes:
 *
 *   trapline-audit-v1\n
 *   seq=<decimal>\n ts_utc=<decimal µs>\n operator=<esc>\n action=<esc>\n
 *   run_id=<decimal>\n detail=<esc>\n
 *
 * hash = SHA-256(prev_hash || canonical), both hashes as 64 lower-case hex
 * characters; the first row's prev_hash is 64 '0's.  The detail is itself a
 * canonical record "key=value;key=value" (keys in a fixed order chosen by
 * the writer, values escaped) built with audit_detail_*.
 *
 * The chain head may be signed with Ed25519 (OpenSSL EVP_PKEY_ED25519) over
 * "trapline-audit-head-v1\n<seq>\n<hash>".
 */
#ifndef PR_REPORT_AUDIT_H
#define PR_REPORT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

#define AUDIT_HASH_HEX 65          /* 64 hex characters and a NUL */
#define AUDIT_DETAIL_MAX 4096      /* a detail holds a path, hashes and counters */
#define AUDIT_TEXT_MAX 128         /* operator, action */
#define AUDIT_SIG_HEX 129          /* Ed25519 signature: 64 bytes */
#define AUDIT_CANON_MAX (AUDIT_DETAIL_MAX * 3 + 2 * AUDIT_TEXT_MAX * 3 + 256)

extern const char audit_genesis_hash[AUDIT_HASH_HEX];

struct audit_row {
    int64_t seq;
    uint64_t ts_utc;                 /* wall clock, UTC microseconds */
    char operator_name[AUDIT_TEXT_MAX];
    char action[AUDIT_TEXT_MAX];
    int64_t run_id;                  /* 0 = not about one run */
    char detail[AUDIT_DETAIL_MAX];
    char prev_hash[AUDIT_HASH_HEX];
    char hash[AUDIT_HASH_HEX];
    /* The chain the row belongs to (audit_log.probe): a probe name on a
     * shared PostgreSQL store, '' in a SQLite file.  Not part of the
     * canonical row: it selects the chain, whose links the hashes hold. */
    char probe[AUDIT_TEXT_MAX];
};

/* The detail record under construction.  A value that does not fit sets
 * overflow (the writer refuses to log a cut detail). */
struct audit_detail {
    char buf[AUDIT_DETAIL_MAX];
    size_t len;
    bool overflow;
};

void audit_detail_init(struct audit_detail *d);
/* Appends key=value (value escaped; NULL is written as empty). */
void audit_detail_add(struct audit_detail *d, const char *key, const char *value);
void audit_detail_add_u64(struct audit_detail *d, const char *key, uint64_t v);

/* Finds key in the detail record (trusted or not) and unescapes its value
 * into out (cap bytes).  Returns false when absent or too long. */
bool audit_detail_get(const char *detail, const char *key, char *out, size_t cap);

/* Writes the canonical form of r (its prev_hash and hash are not part of
 * it) into out.  Returns its length, or 0 when cap is too small. */
size_t audit_canonical(const struct audit_row *r, char *out, size_t cap);

/* Computes SHA-256(prev_hash || canonical(r)) as hex into out.  Returns 0 or
 * RC_NOMEM. */
int audit_row_hash(const struct audit_row *r, const char *prev_hash, char out[AUDIT_HASH_HEX]);

/* Verification walk over the rows in seq order. */
struct audit_walk {
    int64_t rows;
    int64_t last_seq;
    char last_hash[AUDIT_HASH_HEX];
};

void audit_walk_init(struct audit_walk *w);

/* Checks the next row r (read back from storage, untrusted): its seq
 * follows the previous one, its prev_hash is the previous hash, and its
 * hash is recomputed from its fields.  Returns 0, or -1 with the reason
 * ("seq 5: hash does not match its content (row altered)") in why. */
int audit_walk_step(struct audit_walk *w, const struct audit_row *r, char *why, size_t cap);

/* SHA-256 of a file's bytes as hex.  Returns 0, RC_IO (e names the path). */
int audit_sha256_file(const char *path, char out[AUDIT_HASH_HEX], uint64_t *size, struct err *e);
/* SHA-256 of a buffer as hex. */
int audit_sha256_buf(const void *buf, size_t len, char out[AUDIT_HASH_HEX]);

/* Signs the chain head (seq, hash) with the Ed25519 private key in the PEM
 * file key_path; writes the signature and the public key (raw 32 bytes) as
 * hex.  Returns 0, or RC_CONFIG/RC_IO with e set (not an Ed25519 key, ...). */
int audit_sign_head(const char *key_path, int64_t seq, const char *hash,
                    char sig_hex[AUDIT_SIG_HEX], char pub_hex[AUDIT_HASH_HEX], struct err *e);

/* Reads a key file (PEM, at most AUDIT_KEY_MAX bytes) into an owned,
 * NUL-terminated buffer.  Returns 0 or RC_IO/RC_LIMIT/RC_NOMEM. */
#define AUDIT_KEY_MAX 16384
int audit_read_key(const char *path, char **out, size_t *len, struct err *e);

/* audit_sign_head with the PEM key already in memory (pem, len; name is used
 * in messages). */
int audit_sign_head_mem(const char *pem, size_t len, const char *name, int64_t seq,
                        const char *hash, char sig_hex[AUDIT_SIG_HEX],
                        char pub_hex[AUDIT_HASH_HEX], struct err *e);

/* Verifies sig_hex over (seq, hash) with the Ed25519 public key in the PEM
 * file pub_path.  Returns 0 when it holds, RC_CONFIG when it does not or the
 * key is unusable (e says which). */
int audit_verify_head(const char *pub_path, int64_t seq, const char *hash, const char *sig_hex,
                      struct err *e);

#endif
