/* ndpi.h - the adapter around libndpi 4.2, the only code that includes nDPI.
 *
 * nDPI's API changed after 4.2 (init context, process_packet arguments, nested
 * ndpi_protocol), so nothing outside classify/ndpi.c sees an nDPI type.  Per
 * flow the adapter keeps one opaque state, allocated at the first packet and
 * freed as soon as the flow is decided (or given up), so decided flows cost
 * no nDPI memory.
 */
#ifndef PR_CLASSIFY_NDPI_H
#define PR_CLASSIFY_NDPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/meta.h"
#include "signatures/sig.h"

#define NDPI_ENGINE_NAME_MAX 64

enum ndpi_engine_conf {
    NDPI_CONF_NONE = 0, /* unknown */
    NDPI_CONF_PORT,     /* port only */
    NDPI_CONF_IP,       /* address only */
    NDPI_CONF_CACHE,    /* correlation with an earlier flow */
    NDPI_CONF_DPI,      /* payload inspection */
};

struct ndpi_engine_result {
    uint16_t master, app;             /* nDPI 4.2 protocol ids (0 = unknown);
                                         ndpi_engine_name() names them */
    enum ndpi_engine_conf conf;
    bool guessed;                     /* result of a give-up guess */
    bool app_by_ip;                   /* the app part is nDPI's server-address guess
                                         (no name seen): TLS.WeChat from a Tencent
                                         address is a range, not inspection */
    struct meta_name host;            /* SNI / Host / DNS query name nDPI saw */
};

struct ndpi_engine;

/* nDPI's name of a verdict ("TLS.Signal", "DNS", "Unknown"; printable),
 * into buf of cap bytes. */
void ndpi_engine_name(const struct ndpi_engine *n, uint16_t master, uint16_t app, char *buf,
                      size_t cap);

/* The application protocol's name, or the master's ("" for neither);
 * nDPI's static string. */
const char *ndpi_engine_app_name(const struct ndpi_engine *n, uint16_t master, uint16_t app);

struct ndpi_engine;

/* Returns an owned engine or NULL with e set. */
struct ndpi_engine *ndpi_engine_new(struct err *e);
void ndpi_engine_free(struct ndpi_engine *n);

/* Feeds one IP packet (borrowed: l3 points to the IPv4/IPv6 header, len
 * captured bytes) of a flow whose adapter state is *state (NULL before the
 * first call).  Returns true when detection is complete: *out holds the
 * verdict and *state has been freed and set to NULL.  Returns false when nDPI
 * wants more packets (or the state could not be allocated: *state stays NULL
 * and the packet is counted as skipped). */
bool ndpi_engine_packet(struct ndpi_engine *n, void **state, const uint8_t *l3, size_t len,
                        uint64_t ts_us, struct ndpi_engine_result *out);

/* Ends detection for a flow that did not complete: asks nDPI for its best
 * guess, fills *out and frees *state.  With *state NULL, *out is Unknown. */
void ndpi_engine_giveup(struct ndpi_engine *n, void **state, struct ndpi_engine_result *out);

/* Frees a flow's state without a verdict.  NULL state is a no-op. */
void ndpi_engine_release(void **state);

/* Bytes nDPI holds in the TLS record buffer of an undecided flow's state
 * (0 = none; NULL state = 0): what trim_tls_buffer in ndpi.c bounds. */
size_t ndpi_engine_tls_buffered(const void *state);

/* Maps every "ndpi:" rule of sigs (borrowed; must outlive n) to nDPI ids.
 * Returns 0, or RC_CONFIG with e naming file:line:col when a rule names a
 * protocol nDPI 4.2 does not know or one already mapped to another service. */
int ndpi_engine_map_rules(struct ndpi_engine *n, const struct sig_set *sigs, struct err *e);

/* The catalog service index an nDPI verdict maps to (its application, else
 * its master protocol), or -1. */
int ndpi_engine_service(const struct ndpi_engine *n, const struct ndpi_engine_result *r);

/* The catalog ndpi rule behind ndpi_engine_service() (sig_set index), or -1. */
int32_t ndpi_engine_rule(const struct ndpi_engine *n, const struct ndpi_engine_result *r);

/* True when the verdict's master protocol is DNS. */
bool ndpi_engine_is_dns(const struct ndpi_engine *n, const struct ndpi_engine_result *r);

/* True when nDPI names a specific application from the payload or a cache
 * (not a guess, not the address owner behind a transport such as TLS or
 * STUN): specific evidence even when the catalog does not know it. */
bool ndpi_engine_names_app(const struct ndpi_engine *n, const struct ndpi_engine_result *r);

/* nDPI 4.2 protocol id for a protocol name (case-insensitive), or -1. */
int ndpi_engine_proto_id(const struct ndpi_engine *n, const char *name);

/* The library version string ("4.2.0"). */
const char *ndpi_engine_version(void);

#endif
