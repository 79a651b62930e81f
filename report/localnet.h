/* localnet.h - which addresses are local endpoints (issue 10): the user's
 * home networks (`--home-net CIDR...`, like Zeek's Site::local_nets) and,
 * always, address space that is never a remote Internet party: RFC 1918,
 * CGNAT 100.64.0.0/10 (RFC 6598), link-local 169.254.0.0/16, loopback,
 * IPv6 ULA fc00::/7, link-local fe80::/10 and ::1.
 *
 * A report asks trapline_local(addr) in SQL; a subject is a subscriber or
 * such a local endpoint, never a remote relay or peer.
 */
#ifndef PR_REPORT_LOCALNET_H
#define PR_REPORT_LOCALNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Home networks one report accepts (command line plus the runs' own). */
#define LOCALNET_MAX 64

struct localnet_net {
    uint8_t family; /* 4 or 6 */
    uint8_t bits;   /* prefix length */
    uint8_t addr[16];
};

struct localnet {
    struct localnet_net net[LOCALNET_MAX];
    size_t n;
    size_t dropped; /* CIDRs beyond LOCALNET_MAX (counted, not used) */
};

/* Adds every CIDR of list (comma- or space-separated "a.b.c.d/n",
 * "x::/n", or a bare address) to ln.  Returns 0, or RC_USAGE with e set for
 * a malformed one (nothing after it is added). */
int localnet_add(struct localnet *ln, const char *list, struct err *e);

/* True when addr (text, untrusted) is inside a home network or in private,
 * CGNAT, ULA, link-local or loopback space. */
bool localnet_is_local(const struct localnet *ln, const char *addr);

/* True when addr is inside a home network given with localnet_add. */
bool localnet_in_home(const struct localnet *ln, const char *addr);

/* Registers trapline_local(text) -> 0/1 on db over ln (borrowed: must
 * outlive the connection's use of the function).  Returns 0 or RC_SQL. */
struct sqlite3;
int localnet_register(struct sqlite3 *db, const struct localnet *ln);

#endif
