/* store_binding.h - writes subscriber bindings (classify/binding.h) to the
 * subscriber_sessions table through the store's batched transactions. */
#ifndef PR_REPORT_STORE_BINDING_H
#define PR_REPORT_STORE_BINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/binding.h"
#include "report/store.h"

/* Longest teids cell: BIND_MAX_TEIDS x "c:0x12345678@" + an IPv6 text. */
#define STORE_BINDING_TEIDS_MAX 1024

/* Inserts one binding (borrowed, as it leaves the bindings table) for
 * run_id with a prepared statement reused across calls.  Returns 0 or
 * RC_SQL (sticky, message in e). */
int store_binding(struct store *s, int64_t run_id, const struct sub_binding *b, struct err *e);

/* The teids cell of b: "u:0x00000002@127.0.0.7;c:0x00000001@127.0.0.4"
 * (u = GTP-U, c = GTP-C; no "@..." when the owner is unknown). */
void store_binding_teids(const struct sub_binding *b, char *out, size_t n);

/* Text cells of b shared by both back ends: ue_ipv4 ("" none) and
 * ue_ipv6_prefix ("2001:db8:1:2::/64", "" none). */
#define STORE_BINDING_V6_MAX 50
void store_binding_addrs(const struct sub_binding *b, char v4[16], char v6[STORE_BINDING_V6_MAX]);

/* ue_v6_64 of b (record_v6_64 of its /64); false when it has no IPv6. */
bool store_binding_v6_64(const struct sub_binding *b, int64_t *out);

#endif
