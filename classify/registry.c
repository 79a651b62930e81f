/* registry.c - the payload parser table (see registry.h and proto.h).
 *
 * Adding a protocol: its row goes here, in the place its probe should take
 * among the rows of the same transport and role.
 */
#include "classify/registry.h"

#include <string.h>

#include "classify/cpbind.h"
#include "classify/diameter.h"
#include "classify/dns.h"
#include "classify/gan.h"
#include "classify/http.h"
#include "classify/mtproto.h"
#include "classify/ndp.h"
#include "classify/ranbind.h"
#include "classify/sigtran.h"
#include "classify/sip_sms.h"
#include "classify/smpp.h"
#include "classify/stun.h"
#include "classify/tcap_map.h"
#include "classify/tls.h"
#include "classify/tls_cert.h"

static const struct proto_ops *const rows[] = {
    /* signalling: TCP smpp, sip, sgd, gan (UMA Up, port 14001); UDP sip; SCTP map (M3UA), m2pa, m2ua, sua,
     * sgsap (sigtran.c), sgd */
    &smpp_proto,
    &sip_sms_proto,
    &map_proto,
    &m2pa_proto,
    &m2ua_proto,
    &sua_proto,
    &sgsap_proto,
    /* SS7 link captures (MTP2/MTP3 link types, capture/mtp.h): mtp3 (sigtran.c) */
    &mtp3_proto,
    /* mobile-core control plane (subscriber bindings, never claims a flow):
     * UDP gtpc2, gtpc1, radius; SCTP gx ahead of sgd, which takes any Diameter */
    &gtpc2_proto,
    &gtpc1_proto,
    &radius_proto,
    /* ICMPv6: ndp (a Router Advertisement's /64 for the session of its GTP-U tunnel) */
    &ndp_proto,
    &gx_proto,
    &diameter_proto,
    /* SCTP s1ap (S1-MME), ngap (N2): bindings from the UE's NAS, and its SMS over NAS */
    &s1ap_proto,
    &ngap_proto,
    &gan_proto,
    /* metadata: TCP tls, http (client's first payload); UDP dns */
    &tls_proto,
    /* metadata: TCP tlscert (server's first payload: TLS 1.2 Certificate) */
    &tls_cert_proto,
    &http_proto,
    &dns_proto,
    /* metadata: UDP stun (every datagram that carries the magic cookie) */
    &stun_proto,
    /* detectors named by signature rules */
    &mtproto_proto,
};

_Static_assert(sizeof rows / sizeof rows[0] <= REGISTRY_MAX_ROWS, "registry rows fit");

const struct proto_ops *const *registry_rows(size_t *n)
{
    *n = sizeof rows / sizeof rows[0];
    return rows;
}

const struct proto_ops *registry_find(const char *name)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i]->name, name) == 0)
            return rows[i];
    return NULL;
}

void registry_export(const struct registry_counters *c, registry_put_fn put, void *user)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (size_t k = 0; k < rows[i]->ncounters && k < PROTO_MAX_COUNTERS; k++)
            if (rows[i]->counter_names[k] &&
                (c->v[i][k] || !rows[i]->sparse_from || k < rows[i]->sparse_from))
                put(user, rows[i]->counter_names[k], c->v[i][k]);
}
