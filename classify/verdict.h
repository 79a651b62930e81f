/* verdict.h - the precedence rules that turn a flow's evidence into its
 * service, class, method and confidence, as a table (verdict.c).
 *
 * signatures/README.md "Precedence and confidence" states the order:
 *   carrier SMS decoders  >  our decisive rules (preamble, server name,
 *   ALPN)  >  nDPI's DNS  >  a call on the same client socket  >  our
 *   weaker rules vs nDPI's answer by confidence  >  nDPI's service  >
 *   nDPI's own name (class other).
 * A port alone, or any verdict below CONF_CLASS_MIN, never gives a class
 * other than "other": the service stays as a hint.
 *
 * The classifier (classify.c) collects the evidence; verdict_decide() is a
 * pure function of it, so the classifier computes it once per change of
 * evidence and tests/unit/test_verdict.c drives it from a table.
 */
#ifndef PR_CLASSIFY_VERDICT_H
#define PR_CLASSIFY_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "classify/meta.h"
#include "classify/ndpi.h"
#include "signatures/sig.h"
#include "signatures/sig_query.h"

#define CLASSIFY_SERVICE_MAX 64
#define CLASSIFY_NDPI_NAME_MAX 64

/* How the service was decided (signatures/README.md "Precedence and
 * confidence" gives the order and the confidence each one carries). */
enum cls_method {
    METHOD_NONE = 0, /* nothing matched */
    METHOD_NDPI,     /* nDPI verdict mapped by an ndpi rule */
    METHOD_DECODER,  /* one of our protocol decoders (carrier SMS signalling) */
    METHOD_PREAMBLE, /* our byte preamble on a first payload packet */
    METHOD_SNI,      /* server name from a TLS/QUIC ClientHello */
    METHOD_HOST,     /* HTTP Host */
    METHOD_ALPN,     /* a TLS ALPN value */
    METHOD_DNS,      /* a name the client resolved for this server address */
    METHOD_CIDR,     /* the server address */
    METHOD_PORT,     /* the server port alone (never ott-messaging) */
    METHOD_SOCKET,   /* another flow of the same client UDP socket (a call) */
    METHOD_SERVER,   /* the server address served the service to a decided flow of this run */
    METHOD_STUN,     /* a STUN/TURN attribute (REALM) matched by a name rule */
    METHOD_CERT,     /* a name of the server's TLS 1.2 certificate (no usable SNI) */
    METHOD_COUNT,
};

/* Confidence (0..100) each method carries. */
#define CONF_DECODER_DEFAULT 95
#define CONF_PREAMBLE 95
#define CONF_NDPI_DPI 90
#define CONF_NAME 85
#define CONF_ALPN 80
#define CONF_NDPI_CACHE 70
#define CONF_DNS 70
#define CONF_SERVER 65     /* learnt server (classify/srvlearn.h) */
#define CONF_CIDR_PORT 60 /* address in range and the rule's port list matched */
#define CONF_SOCKET 60
#define CONF_CIDR 50
#define CONF_NDPI_IP 50
#define CONF_NDPI_GUESS 30
#define CONF_NDPI_PORT 20
#define CONF_PORT 10
/* Below this a verdict keeps its service name as a hint but class other. */
#define CONF_CLASS_MIN CONF_CIDR

struct cls_result {
    char service[CLASSIFY_SERVICE_MAX];   /* "" when unknown */
    const char *service_src;              /* where service was copied from: a catalog
                                             name, an nDPI name, a decoder's static
                                             name, a literal; "" when unknown.  It
                                             outlives the flow (the classifier keeps
                                             it instead of a copy) */
    enum sig_class cls;
    enum cls_method method;
    uint8_t confidence;                   /* 0..100 */
    char ndpi_name[CLASSIFY_NDPI_NAME_MAX]; /* "TLS.Signal" */
    struct meta_name server_name;         /* SNI / Host / DNS name that was seen */
    int32_t rule;                         /* catalog rule that decided (sig_set index), -1 none */
    char rule_id[SIG_RULE_ID_MAX];        /* ... as sig_rule_id() names it, "" none */
    uint8_t activity;                     /* enum flow_activity (classify/activity.h) */
    /* Another candidate that named a different catalog service than the
     * one decided (signatures audit, issue 18): its rule (sig_set index, -1
     * for a method without a rule: call-socket, learnt-server) and method;
     * alt_method METHOD_NONE when every candidate agreed. */
    int32_t alt_rule;
    enum cls_method alt_method;
    char alt_id[SIG_RULE_ID_MAX];         /* rule id, "(call-socket)", ...; "" none */
};

/* Everything the precedence rules weigh (a value type; set every field). */
struct verdict_evidence {
    bool decoder;               /* a carrier decoder claimed the flow */
    const char *decoder_proto;  /* ... its service ("smpp"; borrowed) */
    enum sig_class decoder_class; /* ... and class (carrier-sms for SMS signalling) */
    uint8_t decoder_conf;
    bool dns;                   /* our DNS parser read a DNS message of this flow */
    int ours;                   /* service index of our best rule, -1 none */
    int32_t ours_rule;          /* ... the rule itself (sig_set index) */
    enum cls_method ours_method;
    uint8_t ours_conf;
    bool ours_decisive;         /* a decisive rule of ours stopped nDPI */
    bool name_contradicts;      /* the flow carried a server name no rule knows */
    bool ndpi_dns;              /* nDPI's master protocol is DNS */
    uint8_t ndpi_conf;          /* confidence of nDPI's own answer (verdict_ndpi_conf) */
    int ndpi;                   /* service index of nDPI's candidate, -1 none */
    int32_t ndpi_rule;          /* ... the catalog rule that mapped it, -1 none */
    enum cls_method ndpi_method; /* METHOD_NDPI, or METHOD_SNI for a name nDPI saw */
    uint8_t ndpi_candidate_conf;
    bool ndpi_names_app;        /* nDPI names a specific application (ndpi_engine_names_app) */
    bool ndpi_known;            /* nDPI knows the protocol at all */
    const char *ndpi_app_name;  /* its name (borrowed) */
    int socket;                 /* service of a call on the client's UDP socket, -1 none */
    int server;                 /* service the server address served in this run, -1 none */
};

/* Which evidence decided. */
enum verdict_source {
    VERDICT_NONE = 0,
    VERDICT_DECODER,
    VERDICT_OURS,
    VERDICT_NDPI_DNS,
    VERDICT_SOCKET,
    VERDICT_SERVER,
    VERDICT_NDPI,
    VERDICT_NDPI_NAME,
};

/* Applies the precedence table to ev (borrowed) over the catalog sigs
 * (borrowed): fills out's service, cls, method, confidence, rule and the
 * disagreeing candidate (alt_rule, alt_method: the first of ours, nDPI's
 * catalog mapping, the call socket and the learnt server, in that order,
 * that is not the decider and names another catalog service; only when a
 * catalog service was decided); the other fields are left alone.  Returns
 * the source that decided. */
enum verdict_source verdict_decide(const struct verdict_evidence *ev, const struct sig_set *sigs,
                                   struct cls_result *out);

/* The one mapping from a decided service to its class: the service's
 * catalog class, except that a port alone, a verdict below CONF_CLASS_MIN
 * and a DNS flow (a look-up is not a session) are always class other.
 * svc < 0 (no catalog service) is class other. */
enum sig_class verdict_class(const struct sig_set *sigs, int svc, enum cls_method m, uint8_t conf,
                             bool dns_flow);

/* True for the methods whose rule is decisive on its own (nDPI stops). */
bool verdict_method_decisive(enum cls_method m);

/* The confidence nDPI's answer carries. */
uint8_t verdict_ndpi_conf(enum ndpi_engine_conf conf, bool guessed);

/* "sni", "dns-learned", ...; "none" for METHOD_NONE. */
const char *verdict_method_name(enum cls_method m);

#endif
