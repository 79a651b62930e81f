/* sig.h - a loaded, validated, immutable signature set.
 *
 * The YAML files (schema in signatures/README.md) are checked once at load
 * time; the classifier only reads the compiled result.  Schema version 2 adds
 * server-name, CIDR, port, preamble and ALPN rules to version 1's nDPI rules;
 * version 1 files still load unchanged (they are a subset).
 */
#ifndef PR_SIGNATURES_SIG_H
#define PR_SIGNATURES_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

#define SIG_SCHEMA_VERSION 2     /* newest version this build reads (1 and 2) */
#define SIG_NAME_MAX 64
#define SIG_SOURCE_MAX 256
#define SIG_PATTERN_MAX 128      /* server-name / ALPN pattern length */
#define SIG_PREAMBLE_MAX 32      /* bytes in one preamble pattern */
#define SIG_PREAMBLE_OFFSET_MAX 64 /* preambles look at the first packet's head only */
#define SIG_RULE_PORTS_MAX 8     /* ports a cidr/preamble rule may be limited to */
#define SIG_MAX_SERVICES 1024
#define SIG_MAX_RULES 65536
#define SIG_MAX_FILES 256
#define SIG_MAX_FILE_BYTES (4u << 20)

enum sig_class {
    SIG_CLASS_OTHER = 0,
    SIG_CLASS_OTT_MESSAGING,
    SIG_CLASS_CARRIER_SMS,
    SIG_CLASS_PUSH,
    SIG_CLASS_CARRIER_SIGNALLING, /* SS7 / SGs signalling decoded, no SMS seen on the flow */
    SIG_CLASS_COUNT,
};

enum sig_stability { SIG_STABLE = 0, SIG_MEDIUM, SIG_FRAGILE };

struct sig_where {
    char file[128];
    unsigned line, col; /* 1-based */
};

struct sig_service {
    char name[SIG_NAME_MAX];
    enum sig_class cls;
    /* Optional `vendor:` - the service (class other, holding the vendor's
     * `scope: vendor` ranges) of the company that runs this one: "Meta" for
     * WhatsApp; "" none.  Learnt servers (classify/srvlearn.h) inside a
     * vendor range are only kept for that vendor's own services. */
    char vendor[SIG_NAME_MAX];
    struct sig_where where;
};

/* Rule kinds, in the order of the precedence the classifier gives them
 * (signatures/README.md "Precedence and confidence"). */
enum sig_rule_kind {
    SIG_RULE_NDPI = 0,  /* an nDPI protocol name */
    SIG_RULE_NAME,      /* server name: TLS/QUIC SNI, HTTP Host, certificate, DNS-learned */
    SIG_RULE_CIDR,      /* server address in a prefix */
    SIG_RULE_PORT,      /* server port and transport */
    SIG_RULE_PREAMBLE,  /* bytes at an offset of the first payload packet */
    SIG_RULE_ALPN,      /* a TLS ALPN protocol offered by the client */
    SIG_RULE_DETECTOR,  /* a named structural check built into classify/ */
    SIG_RULE_KIND_COUNT,
};

/* How a name pattern is compared with a name (both lower case). */
enum sig_match {
    SIG_MATCH_EXACT = 0, /* the whole name */
    SIG_MATCH_SUFFIX,    /* the name, or the name after a '.' (label boundary) */
    SIG_MATCH_PREFIX,    /* the start of the name; the pattern ends in '.' or '-' */
};

/* Where a name rule applies (bit set). */
enum sig_name_on {
    SIG_ON_SNI = 1u << 0,  /* TLS ClientHello and QUIC Initial server_name */
    SIG_ON_HOST = 1u << 1, /* HTTP Host */
    SIG_ON_CERT = 1u << 2, /* server certificate names */
    SIG_ON_DNS = 1u << 3,  /* names learned from DNS answers for the client */
    SIG_ON_STUN = 1u << 4, /* the REALM of a STUN/TURN message (a domain, RFC 8656 s9.2) */
    SIG_ON_ALL = 0x1f,
};

enum sig_dir { SIG_DIR_C2S = 0, SIG_DIR_S2C = 1, SIG_DIR_ANY = 2 };

/* What an address range identifies (CIDR rules, `scope:`).  A vendor range
 * (a whole ASN or cloud of a vendor that runs several services, e.g. Meta's
 * AS32934) names only the vendor: the loader refuses it in a service whose
 * class is not `other`, so a vendor range alone never decides a messaging
 * service (signatures/README.md "Scope"). */
enum sig_scope { SIG_SCOPE_SERVICE = 0, SIG_SCOPE_VENDOR };

struct sig_rule {
    enum sig_rule_kind kind;
    uint16_t service;          /* index into services */
    /* SIG_RULE_NDPI: protocol name as nDPI 4.2 spells it.
     * SIG_RULE_NAME / SIG_RULE_ALPN: the pattern, lower case.
     * SIG_RULE_DETECTOR: one of sig_detector_names (sig_rule.h). */
    char text[SIG_PATTERN_MAX];
    enum sig_match match;      /* SIG_RULE_NAME */
    unsigned on;               /* SIG_RULE_NAME: enum sig_name_on bits */
    uint8_t family;            /* SIG_RULE_CIDR: 4 or 6 */
    uint8_t addr[16];          /* SIG_RULE_CIDR: network address (host bits zero) */
    uint8_t plen;              /* SIG_RULE_CIDR: prefix length */
    uint8_t l4proto;           /* PORT/PREAMBLE/CIDR ports: 6 tcp, 17 udp, 0 any */
    uint16_t port_lo, port_hi; /* SIG_RULE_PORT: inclusive range */
    uint16_t ports[SIG_RULE_PORTS_MAX]; /* CIDR/PREAMBLE/DETECTOR: server ports (none = any) */
    uint8_t nports;
    uint8_t pre[SIG_PREAMBLE_MAX];  /* SIG_RULE_PREAMBLE bytes */
    uint8_t pre_mask[SIG_PREAMBLE_MAX]; /* 0xff = compare, 0x00 = "??" wildcard */
    uint8_t pre_len;
    uint8_t pre_off;           /* offset in the payload */
    enum sig_dir dir;          /* SIG_RULE_PREAMBLE, SIG_RULE_DETECTOR */
    enum sig_scope scope;      /* SIG_RULE_CIDR (default SIG_SCOPE_SERVICE) */
    char source[SIG_SOURCE_MAX];
    enum sig_stability stability;
    struct sig_where where;
};

struct sig_set {
    struct sig_service *services;
    size_t nservices;
    struct sig_rule *rules;
    size_t nrules;
    uint8_t sha256[32];   /* over the loaded files' bytes, in load order */
    char sha256_hex[65];
};

/* Loads the YAML files named by paths (a directory means its *.yaml files in
 * name order).  Returns an owned set (free with sig_set_free) or NULL with e
 * holding "file:line:col: reason" for the first error. */
struct sig_set *sig_load_paths(const char *const *paths, size_t npaths, struct err *e);

/* Same as sig_load_paths over one in-memory document (untrusted, borrowed);
 * `name` labels errors.  Used by the fuzz target and the unit tests. */
struct sig_set *sig_load_buffer(const char *name, const void *buf, size_t n, struct err *e);

void sig_set_free(struct sig_set *s);

const char *sig_class_name(enum sig_class c);
const char *sig_rule_kind_name(enum sig_rule_kind k);
const char *sig_stability_name(enum sig_stability s);
const char *sig_scope_name(enum sig_scope s);

/* Queries on a loaded set (the packet path) are in signatures/sig_query.h. */

#endif
