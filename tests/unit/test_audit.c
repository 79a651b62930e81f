/* test_audit.c - the audit chain (report/audit.c) and its storage
 * (report/store_audit.c): canonical form, detail records, the verification
 * walk against every kind of edit, Ed25519 head signatures, the append-only
 * triggers and the per-run record digest. */
#include "report/audit.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/schema.h"
#include "report/store_audit.h"
#include "tests/harness.h"

static char tmpdir[64];

static void make_row(struct audit_row *r, int64_t seq, const char *action, const char *detail)
{
    memset(r, 0, sizeof *r);
    r->seq = seq;
    r->ts_utc = 1709287200000000ull + (uint64_t)seq;
    snprintf(r->operator_name, sizeof r->operator_name, "tester");
    snprintf(r->action, sizeof r->action, "%s", action);
    r->run_id = 1;
    snprintf(r->detail, sizeof r->detail, "%s", detail);
}

TEST(detail)
{
    struct audit_detail d;
    char v[64];
    audit_detail_init(&d);
    audit_detail_add(&d, "path", "a;b=c%d\n");
    audit_detail_add_u64(&d, "bytes", 42);
    audit_detail_add(&d, "empty", NULL);
    CHECK_STR(d.buf, "path=a%3Bb%3Dc%25d%0A;bytes=42;empty=");
    CHECK(!d.overflow);
    CHECK(audit_detail_get(d.buf, "path", v, sizeof v));
    CHECK_STR(v, "a;b=c%d\n");
    CHECK(audit_detail_get(d.buf, "bytes", v, sizeof v));
    CHECK_STR(v, "42");
    CHECK(audit_detail_get(d.buf, "empty", v, sizeof v));
    CHECK_STR(v, "");
    CHECK(!audit_detail_get(d.buf, "pat", v, sizeof v));
    CHECK(!audit_detail_get(d.buf, "path", v, 4));
    /* A dangling escape at the end is kept literally. */
    CHECK(audit_detail_get("k=x%4", "k", v, sizeof v));
    CHECK_STR(v, "x%4");
    char big[AUDIT_DETAIL_MAX + 10];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    audit_detail_init(&d);
    audit_detail_add(&d, "k", big);
    CHECK(d.overflow);
}

TEST(canonical_and_walk)
{
    struct audit_row rows[4];
    const char *prev = audit_genesis_hash;
    for (int i = 0; i < 4; i++) {
        make_row(&rows[i], i + 1, i == 3 ? "run-end" : "input", "path=x;sha256=00");
        snprintf(rows[i].prev_hash, sizeof rows[i].prev_hash, "%s", prev);
        CHECK_EQ_INT(audit_row_hash(&rows[i], prev, rows[i].hash), 0);
        prev = rows[i].hash;
    }
    char canon[AUDIT_CANON_MAX];
    size_t n = audit_canonical(&rows[0], canon, sizeof canon);
    CHECK(n > 0);
    CHECK(strstr(canon, "trapline-audit-v1\nseq=1\nts_utc=1709287200000001\noperator=tester\n"
                        "action=input\nrun_id=1\ndetail=path%3Dx%3Bsha256%3D00\n") == canon);
    CHECK_EQ_INT(audit_canonical(&rows[0], canon, 10), 0);

    struct audit_walk w;
    char why[256];
    audit_walk_init(&w);
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(audit_walk_step(&w, &rows[i], why, sizeof why), 0);
    CHECK_EQ_INT(w.rows, 4);
    CHECK_STR(w.last_hash, rows[3].hash);

    /* Every field is covered by the hash. */
    struct audit_row t;
    for (int field = 0; field < 5; field++) {
        audit_walk_init(&w);
        CHECK_EQ_INT(audit_walk_step(&w, &rows[0], why, sizeof why), 0);
        t = rows[1];
        switch (field) {
        case 0: t.ts_utc++; break;
        case 1: t.operator_name[0] = 'X'; break;
        case 2: snprintf(t.action, sizeof t.action, "verify"); break;
        case 3: t.run_id = 2; break;
        case 4: t.detail[0] = 'P'; break;
        }
        CHECK_EQ_INT(audit_walk_step(&w, &t, why, sizeof why), -1);
        CHECK(strstr(why, "seq 2") && strstr(why, "row altered"));
    }
    /* A deleted row. */
    audit_walk_init(&w);
    CHECK_EQ_INT(audit_walk_step(&w, &rows[0], why, sizeof why), 0);
    CHECK_EQ_INT(audit_walk_step(&w, &rows[2], why, sizeof why), -1);
    CHECK(strstr(why, "seq 3 follows seq 1 (row deleted)") != NULL);
    /* A deleted row with later rows renumbered: prev_hash breaks. */
    t = rows[2];
    t.seq = 2;
    audit_walk_init(&w);
    CHECK_EQ_INT(audit_walk_step(&w, &rows[0], why, sizeof why), 0);
    CHECK_EQ_INT(audit_walk_step(&w, &t, why, sizeof why), -1);
    CHECK(strstr(why, "prev_hash does not match") != NULL);
    /* Out of order. */
    audit_walk_init(&w);
    t = rows[0];
    t.seq = 0;
    CHECK_EQ_INT(audit_walk_step(&w, &t, why, sizeof why), -1);
    CHECK(strstr(why, "out of order") != NULL);
}

static int write_keys(char priv[128], char pub[128], char other_pub[128])
{
    for (int k = 0; k < 2; k++) {
        EVP_PKEY *key = NULL;
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
        if (!c || EVP_PKEY_keygen_init(c) != 1 || EVP_PKEY_keygen(c, &key) != 1)
            return -1;
        EVP_PKEY_CTX_free(c);
        snprintf(k ? other_pub : pub, 128, "%s/%s.pub", tmpdir, k ? "other" : "key");
        FILE *fp = fopen(k ? other_pub : pub, "w");
        if (!fp || PEM_write_PUBKEY(fp, key) != 1)
            return -1;
        fclose(fp);
        if (k == 0) {
            snprintf(priv, 128, "%s/key.pem", tmpdir);
            fp = fopen(priv, "w");
            if (!fp || PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL) != 1)
                return -1;
            fclose(fp);
        }
        EVP_PKEY_free(key);
    }
    return 0;
}

TEST(signature)
{
    char priv[128], pub[128], other[128];
    CHECK_EQ_INT(write_keys(priv, pub, other), 0);
    char sig[AUDIT_SIG_HEX], pk[AUDIT_HASH_HEX];
    struct err e;
    const char *h = "ab" "0000000000000000000000000000000000000000000000000000000000000000" + 2;
    CHECK_EQ_INT(audit_sign_head(priv, 7, h, sig, pk, &e), 0);
    CHECK_EQ_INT(strlen(sig), 128);
    CHECK_EQ_INT(audit_verify_head(pub, 7, h, sig, &e), 0);
    CHECK(audit_verify_head(pub, 8, h, sig, &e) != 0);
    CHECK(strstr(e.msg, "does not verify") != NULL);
    CHECK(audit_verify_head(other, 7, h, sig, &e) != 0);
    sig[0] = sig[0] == '0' ? '1' : '0';
    CHECK(audit_verify_head(pub, 7, h, sig, &e) != 0);
    CHECK(audit_verify_head(pub, 7, h, "zz", &e) != 0);
    CHECK(strstr(e.msg, "not 64 bytes of hex") != NULL);
    /* Wrong key kinds and missing files. */
    CHECK(audit_sign_head(pub, 7, h, sig, pk, &e) != 0);
    CHECK(strstr(e.msg, "not an Ed25519 private key") != NULL);
    CHECK(audit_verify_head(priv, 7, h, sig, &e) != 0);
    CHECK(audit_sign_head("/nonexistent", 7, h, sig, pk, &e) == RC_IO);
    CHECK(audit_verify_head("/nonexistent", 7, h, sig, &e) == RC_IO);
}

TEST(file_hash)
{
    char path[128], hex[AUDIT_HASH_HEX];
    uint64_t size = 0;
    struct err e;
    snprintf(path, sizeof path, "%s/abc", tmpdir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fputs("abc", fp);
    fclose(fp);
    CHECK_EQ_INT(audit_sha256_file(path, hex, &size, &e), 0);
    /* FIPS 180-2 appendix B.1 */
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_EQ_INT(size, 3);
    CHECK_EQ_INT(audit_sha256_file("/nonexistent", hex, &size, &e), RC_IO);
}

static int collect(void *user, const struct audit_row *r)
{
    struct audit_walk *w = user;
    char why[256];
    return audit_walk_step(w, r, why, sizeof why) ? 1 : 0;
}

TEST(store)
{
    char db[128];
    struct err e;
    snprintf(db, sizeof db, "%s/a.db", tmpdir);
    struct store *s = store_open(db, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    struct store_run_info ri = {.started_us = 1, .mode = "analyze", .tool_version = "t", .command_line = "cmd", .signature_sha256 = "sig", .ndpi_version = "4.2.0"};
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &ri, &run, &e), 0);
    struct audit_row r;
    make_row(&r, 0, "run-start", "mode=analyze");
    r.run_id = run;
    CHECK_EQ_INT(store_audit_append(s, &r, &e), 0);
    CHECK_EQ_INT(r.seq, 1);
    CHECK_STR(r.prev_hash, audit_genesis_hash);
    char first[AUDIT_HASH_HEX];
    snprintf(first, sizeof first, "%s", r.hash);
    make_row(&r, 0, "run-end", "status=complete");
    CHECK_EQ_INT(store_audit_append(s, &r, &e), 0);
    CHECK_EQ_INT(r.seq, 2);
    CHECK_STR(r.prev_hash, first);
    struct audit_walk w;
    audit_walk_init(&w);
    CHECK_EQ_INT(store_audit_each(s, collect, &w, &e), 0);
    CHECK_EQ_INT(w.rows, 2);
    CHECK(store_audit_triggers_present(s));
    /* The triggers refuse UPDATE and DELETE. */
    sqlite3 *h = store_db(s);
    CHECK(sqlite3_exec(h, "UPDATE audit_log SET detail = 'x'", NULL, NULL, NULL) != SQLITE_OK);
    CHECK(strstr(sqlite3_errmsg(h), "append-only") != NULL);
    CHECK(sqlite3_exec(h, "DELETE FROM audit_log", NULL, NULL, NULL) != SQLITE_OK);
    /* Record digest: changes with a row's content, counts rows. */
    struct flow_record fr;
    memset(&fr, 0, sizeof fr);
    fr.flow_id = 1;
    snprintf(fr.src_ip, sizeof fr.src_ip, "10.0.0.1");
    snprintf(fr.dst_ip, sizeof fr.dst_ip, "10.0.0.2");
    CHECK_EQ_INT(store_flow(s, run, &fr, &e), 0);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    struct store_audit_counts c1, c2, v1a, v1b;
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c1, &e), 0);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 1, &v1a, &e), 0);
    CHECK_EQ_INT(c1.n[0], 1);
    CHECK_EQ_INT(c1.n[1], 0);
    CHECK(strcmp(c1.digest, v1a.digest) != 0);
    /* A later migration adding a column (NULL, '' or 0 on old rows) leaves
     * the version-2 digest of the runs before it alone; version 1 digested
     * SELECT * and changed (a migrated database failed verify). */
    CHECK(sqlite3_exec(h, "ALTER TABLE flows ADD COLUMN later_col TEXT;"
                          "ALTER TABLE flows ADD COLUMN later_n INTEGER NOT NULL DEFAULT 0",
                       NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c2, &e), 0);
    CHECK_STR(c2.digest, c1.digest);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 1, &v1b, &e), 0);
    CHECK(strcmp(v1a.digest, v1b.digest) != 0);
    /* The columns migration 16 added are outside version 1. */
    CHECK(sqlite3_exec(h, "ALTER TABLE flows DROP COLUMN later_col;"
                          "ALTER TABLE flows DROP COLUMN later_n;"
                          "UPDATE flows SET tunnel_node = '192.0.2.2'",
                       NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 1, &v1b, &e), 0);
    CHECK_STR(v1b.digest, v1a.digest);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c2, &e), 0);
    CHECK(strcmp(c1.digest, c2.digest) != 0);
    CHECK(sqlite3_exec(h, "UPDATE flows SET tunnel_node = NULL", NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(h, "UPDATE flows SET dst_ip = '10.0.0.3'", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c2, &e), 0);
    CHECK_EQ_INT(c2.n[0], 1);
    CHECK(strcmp(c1.digest, c2.digest) != 0);
    /* Version 2 covers subscriber sessions (and their TEIDs). */
    CHECK(sqlite3_exec(h, "INSERT INTO subscriber_sessions (run_id, binding_id, source, flow_id,"
                          " evidence_ts_us, start_us, open_ended, mid_session, last_evidence_us,"
                          " imsi, conflict) VALUES (1, 1, 'gtpv2', 0, 5, 5, 1, 0, 5,"
                          " '001010000000001', 0)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c1, &e), 0);
    CHECK_EQ_INT(c1.n[5], 1);
    CHECK(sqlite3_exec(h, "UPDATE subscriber_sessions SET imsi = '001010000000002'", NULL, NULL,
                       NULL) == SQLITE_OK);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c2, &e), 0);
    CHECK(strcmp(c1.digest, c2.digest) != 0);
    /* Signatures and snapshot look-ups. */
    bool found = true;
    int64_t seq = 0;
    char hash[AUDIT_HASH_HEX], sig[AUDIT_SIG_HEX], a[AUDIT_HASH_HEX], b[AUDIT_HASH_HEX];
    CHECK_EQ_INT(store_audit_latest_signature(s, &found, &seq, hash, sig, &e), 0);
    CHECK(!found);
    CHECK_EQ_INT(store_audit_signature(s, 2, r.hash, "00", "11", &e), 0);
    CHECK_EQ_INT(store_audit_latest_signature(s, &found, &seq, hash, sig, &e), 0);
    CHECK(found);
    CHECK_EQ_INT(seq, 2);
    CHECK_STR(sig, "00");
    CHECK_EQ_INT(store_audit_snapshot(s, run, &found, a, b, &e), 0);
    CHECK(!found);
    CHECK(sqlite3_exec(h, "DROP TRIGGER audit_log_no_delete", NULL, NULL, NULL) == SQLITE_OK);
    CHECK(!store_audit_triggers_present(s));
    store_close(s);
}

/* The per-probe migration (audit_log keyed (probe, seq)) rebuilds the
 * SQLite table: a chain written before it keeps its rows and hashes, walks
 * as one chain under probe '', keeps refusing UPDATE and DELETE, and grows
 * on from its head. */
TEST(per_probe_migration)
{
    char db[128];
    struct err e;
    snprintf(db, sizeof db, "%s/old.db", tmpdir);
    size_t k = 1;
    while (k <= schema_count() && !strstr(schema_migration(k), "CREATE TABLE audit_log_v"))
        k++;
    CHECK(k <= schema_count());
    sqlite3 *h = NULL;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK);
    for (size_t i = 1; i < k; i++)
        CHECK(sqlite3_exec(h, schema_migration(i), NULL, NULL, NULL) == SQLITE_OK);
    char sql[1024];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %zu", k - 1);
    CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
    struct audit_row r;
    char prev[AUDIT_HASH_HEX];
    snprintf(prev, sizeof prev, "%s", audit_genesis_hash);
    for (int64_t q = 1; q <= 2; q++) {
        make_row(&r, q, q == 1 ? "run-start" : "run-end", "x=1");
        CHECK_EQ_INT(audit_row_hash(&r, prev, r.hash), 0);
        snprintf(sql, sizeof sql,
                 "INSERT INTO audit_log (seq, ts_utc, operator, action, run_id, detail,"
                 " prev_hash, hash) VALUES (%lld, %llu, 'tester', '%s', 1, 'x=1', '%s', '%s')",
                 (long long)q, (unsigned long long)r.ts_utc, r.action, prev, r.hash);
        CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
        snprintf(prev, sizeof prev, "%s", r.hash);
    }
    sqlite3_close(h);
    struct store *s = store_open(db, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(store_schema_version(s), (int)schema_count());
    struct audit_walk w;
    audit_walk_init(&w);
    CHECK_EQ_INT(store_audit_each(s, collect, &w, &e), 0);
    CHECK_EQ_INT(w.rows, 2);
    CHECK_STR(w.last_hash, prev);
    CHECK(store_audit_triggers_present(s));
    CHECK(sqlite3_exec(store_db(s), "UPDATE audit_log SET detail = 'y'", NULL, NULL, NULL) !=
          SQLITE_OK);
    CHECK(sqlite3_exec(store_db(s), "DELETE FROM audit_log", NULL, NULL, NULL) != SQLITE_OK);
    make_row(&r, 0, "verify", "result=ok");
    r.run_id = 0;
    CHECK_EQ_INT(store_audit_append(s, &r, &e), 0);
    CHECK_EQ_INT(r.seq, 3);
    CHECK_STR(r.prev_hash, prev);
    store_close(s);
}

/* The run-end digest's bytes are a stored format: runs recorded by earlier
 * builds are verified against them.  A fixed run content gives the digests
 * the snprintf formatting of the first version gave (recorded from that
 * build), so a faster formatter cannot drift: negative and large integers,
 * zero and empty values (left out by version 2), escapes in text. */
TEST(digest_bytes)
{
    char db[128];
    struct err e;
    snprintf(db, sizeof db, "%s/d.db", tmpdir);
    struct store *s = store_open(db, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    struct store_run_info ri = {.started_us = 1, .mode = "analyze", .tool_version = "t",
                                .command_line = "cmd", .signature_sha256 = "sig",
                                .ndpi_version = "4.2.0"};
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &ri, &run, &e), 0);
    struct flow_record fr;
    memset(&fr, 0, sizeof fr);
    fr.flow_id = 7;
    fr.proto = 17;
    snprintf(fr.src_ip, sizeof fr.src_ip, "2001:db8::1");
    snprintf(fr.dst_ip, sizeof fr.dst_ip, "2001:db8::2");
    fr.src_port = 65535;
    fr.dst_port = 443;
    fr.first_ts_us = 1700000000123456ull;
    fr.last_ts_us = 1700000000999999ull;
    fr.pkts_c2s = 3;
    fr.bytes_c2s = 1ull << 40;
    snprintf(fr.server_name, sizeof fr.server_name, "a\tb.example");
    snprintf(fr.service, sizeof fr.service, "Signal");
    fr.has_v6_64 = true;
    fr.src_v6_64 = INT64_MIN;
    fr.dst_v6_64 = -2;
    CHECK_EQ_INT(store_flow(s, run, &fr, &e), 0);
    fr.flow_id = 8;
    fr.has_v6_64 = false;
    fr.server_name[0] = '\0';
    CHECK_EQ_INT(store_flow(s, run, &fr, &e), 0);
    CHECK_EQ_INT(store_run_stat(s, run, "flows_created", 2, &e), 0);
    CHECK_EQ_INT(store_run_stat(s, run, "zero", 0, &e), 0);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    struct store_audit_counts c2, c1;
    CHECK_EQ_INT(store_audit_run_counts(s, run, 2, &c2, &e), 0);
    CHECK_EQ_INT(store_audit_run_counts(s, run, 1, &c1, &e), 0);
    CHECK_STR(c2.digest, "603fbb01ed709b45740a1d298d1d9c8ca396e1f6b9859ef626c23cdf8e4d2429");
    CHECK_STR(c1.digest, "792cfdced2a1e2e7026a42f346bb22c828b465c02b260ee173f8377f8589f241");
    store_close(s);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/trapline-audit-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    RUN(detail);
    RUN(canonical_and_walk);
    RUN(signature);
    RUN(file_hash);
    RUN(store);
    RUN(digest_bytes);
    RUN(per_probe_migration);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return harness_done();
}
