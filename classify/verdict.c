/* verdict.c - the precedence table (see verdict.h).
 *
 * The evidence is reduced to facts (one bit each); the table is read top to
 * bottom and the first row whose needed facts are all present and whose
 * denied facts are all absent names the source of the verdict.  A
 * disjunction in the rules is written as two rows.
 */
#include "classify/verdict.h"

#include <stddef.h>

#include "capture/str.h"

enum fact {
    F_DECODER = 1u << 0,           /* a carrier decoder claimed the flow */
    F_OURS = 1u << 1,              /* a rule of ours, not contradicted by the flow's name */
    F_DECISIVE = 1u << 2,          /* ... which stopped nDPI */
    F_NDPI_DNS = 1u << 3,          /* nDPI says DNS */
    F_NDPI_SVC = 1u << 4,          /* nDPI's answer maps to a catalog service */
    F_NDPI_SPECIFIC = 1u << 5,     /* nDPI names an uncatalogued application */
    F_SOCKET = 1u << 6,            /* a call was seen on the client's UDP socket */
    F_OURS_BELOW_SOCKET = 1u << 7, /* our rule is weaker than CONF_SOCKET */
    F_OURS_BELOW_DPI = 1u << 8,    /* our rule is weaker than nDPI's payload inspection */
    F_OURS_ABOVE_NDPI = 1u << 9,   /* our rule is more confident than nDPI's candidate */
    F_NDPI_KNOWN = 1u << 10,       /* nDPI knows the protocol */
    F_SERVER = 1u << 11,           /* the server address served a service in this run */
    F_OURS_STRONG = 1u << 12,      /* our rule is at least as strong as CONF_SERVER */
    F_NDPI_STRONG = 1u << 13,      /* nDPI's catalog service is at least CONF_SERVER */
};

struct verdict_rule {
    unsigned need, deny;
    enum verdict_source src;
};

/* The precedence rules, strongest first (verdict.h gives them in prose). */
static const struct verdict_rule rules[] = {
    /* a decoder parsed the signalling: nothing is stronger */
    {F_DECODER, 0, VERDICT_DECODER},
    /* a DNS lookup of a messaging host is DNS traffic, not a session, even
     * when one of our rules liked its bytes */
    {F_NDPI_DNS, 0, VERDICT_NDPI_DNS},
    /* preamble, server name or ALPN of ours decided and stopped nDPI */
    {F_OURS | F_DECISIVE, 0, VERDICT_OURS},
    /* a call on the client socket beats address/port guesses below it */
    {F_SOCKET, F_NDPI_SVC | F_NDPI_SPECIFIC | F_OURS, VERDICT_SOCKET},
    {F_SOCKET | F_OURS | F_OURS_BELOW_SOCKET, F_NDPI_SVC | F_NDPI_SPECIFIC, VERDICT_SOCKET},
    /* the server address served the service to a decided flow of this run
     * (a connection whose handshake is before the capture): beats ranges,
     * ports and nDPI's address guesses, never a name or payload evidence */
    {F_SERVER, F_OURS_STRONG | F_NDPI_STRONG | F_NDPI_SPECIFIC, VERDICT_SERVER},
    /* our weaker rules: when nDPI has nothing in the catalog ... */
    {F_OURS, F_NDPI_SVC | F_NDPI_SPECIFIC, VERDICT_OURS},
    /* ... unless it names an application from the payload ... */
    {F_OURS | F_NDPI_SPECIFIC, F_NDPI_SVC | F_OURS_BELOW_DPI, VERDICT_OURS},
    /* ... or when more confident than nDPI's catalog service */
    {F_OURS | F_NDPI_SVC | F_OURS_ABOVE_NDPI, 0, VERDICT_OURS},
    {F_NDPI_SVC, 0, VERDICT_NDPI},
    /* known to nDPI, not in the catalog: nDPI's name, class other */
    {F_NDPI_KNOWN, 0, VERDICT_NDPI_NAME},
};

struct method_row {
    const char *name;
    bool decisive; /* our rule of this method stops nDPI at once */
};

static const struct method_row methods[] = {
    [METHOD_NONE] = {"none", false},       [METHOD_NDPI] = {"ndpi", false},
    [METHOD_DECODER] = {"decoder", false}, [METHOD_PREAMBLE] = {"preamble", true},
    [METHOD_SNI] = {"sni", true},          [METHOD_HOST] = {"host", true},
    [METHOD_ALPN] = {"alpn", true},        [METHOD_DNS] = {"dns-learned", false},
    [METHOD_CIDR] = {"cidr", false},       [METHOD_PORT] = {"port", false},
    [METHOD_SOCKET] = {"call-socket", false}, [METHOD_SERVER] = {"learnt-server", false},
    [METHOD_STUN] = {"stun-attr", false},   [METHOD_CERT] = {"cert", false},
};
_Static_assert(sizeof methods / sizeof methods[0] == METHOD_COUNT, "a name per method");

static const uint8_t ndpi_conf[] = {
    [NDPI_CONF_NONE] = 0,
    [NDPI_CONF_PORT] = CONF_NDPI_PORT,
    [NDPI_CONF_IP] = CONF_NDPI_IP,
    [NDPI_CONF_CACHE] = CONF_NDPI_CACHE,
    [NDPI_CONF_DPI] = CONF_NDPI_DPI,
};

bool verdict_method_decisive(enum cls_method m)
{
    return (size_t)m < sizeof methods / sizeof methods[0] && methods[m].decisive;
}

const char *verdict_method_name(enum cls_method m)
{
    return (size_t)m < sizeof methods / sizeof methods[0] ? methods[m].name : "none";
}

uint8_t verdict_ndpi_conf(enum ndpi_engine_conf conf, bool guessed)
{
    if (guessed)
        return CONF_NDPI_GUESS;
    return (size_t)conf < sizeof ndpi_conf ? ndpi_conf[conf] : 0;
}

static unsigned facts(const struct verdict_evidence *ev)
{
    unsigned f = 0;
    /* A server name the flow itself carried and no rule knows contradicts
     * weaker guesses from the address, the port or an earlier DNS answer. */
    bool ours = ev->ours >= 0 &&
                !(ev->name_contradicts && !verdict_method_decisive(ev->ours_method));
    f |= ev->decoder ? F_DECODER : 0;
    f |= ours ? F_OURS : 0;
    f |= ev->ours_decisive ? F_DECISIVE : 0;
    f |= ev->ndpi_dns || ev->dns ? F_NDPI_DNS : 0;
    f |= ev->ndpi >= 0 ? F_NDPI_SVC : 0;
    f |= ev->ndpi < 0 && ev->ndpi_names_app ? F_NDPI_SPECIFIC : 0;
    f |= ev->socket >= 0 ? F_SOCKET : 0;
    f |= ev->ours_conf < CONF_SOCKET ? F_OURS_BELOW_SOCKET : 0;
    f |= ev->ours_conf < CONF_NDPI_DPI ? F_OURS_BELOW_DPI : 0;
    f |= ev->ours_conf > ev->ndpi_candidate_conf ? F_OURS_ABOVE_NDPI : 0;
    f |= ev->ndpi_known ? F_NDPI_KNOWN : 0;
    f |= ev->server >= 0 && !ev->name_contradicts ? F_SERVER : 0;
    f |= ours && ev->ours_conf >= CONF_SERVER ? F_OURS_STRONG : 0;
    f |= ev->ndpi >= 0 && ev->ndpi_candidate_conf >= CONF_SERVER ? F_NDPI_STRONG : 0;
    return f;
}

enum sig_class verdict_class(const struct sig_set *sigs, int svc, enum cls_method m, uint8_t conf,
                             bool dns_flow)
{
    /* A port is a tie-breaker, never evidence of a messaging (or SMS)
     * session, and neither is any verdict below CONF_CLASS_MIN (an nDPI
     * give-up guess): the service stays as a hint, the class is other.  A
     * DNS flow is a look-up, whatever name it looked up. */
    if (svc < 0 || (size_t)svc >= sigs->nservices || dns_flow || m == METHOD_PORT ||
        conf < CONF_CLASS_MIN)
        return SIG_CLASS_OTHER;
    return sigs->services[svc].cls;
}

static void set_service(const struct sig_set *sigs, int svc, enum cls_method m, uint8_t conf,
                        int32_t rule, struct cls_result *out)
{
    str_copy(out->service, sizeof out->service, sigs->services[svc].name);
    out->service_src = sigs->services[svc].name;
    out->cls = verdict_class(sigs, svc, m, conf, false);
    out->method = m;
    out->confidence = conf;
    out->rule = rule;
}

/* The first candidate, other than the decider, naming another catalog
 * service than the decided one (verdict.h). */
static void alternative(const struct verdict_evidence *ev, enum verdict_source src,
                        struct cls_result *out)
{
    int decided = src == VERDICT_OURS     ? ev->ours
                  : src == VERDICT_NDPI   ? ev->ndpi
                  : src == VERDICT_SOCKET ? ev->socket
                  : src == VERDICT_SERVER ? ev->server
                                          : -1;
    if (decided < 0)
        return;
    const struct {
        enum verdict_source src;
        int svc;
        int32_t rule;
        enum cls_method m;
    } cand[] = {
        {VERDICT_OURS, ev->ours, ev->ours_rule, ev->ours_method},
        {VERDICT_NDPI, ev->ndpi, ev->ndpi_rule, ev->ndpi_method},
        {VERDICT_SOCKET, ev->socket, -1, METHOD_SOCKET},
        {VERDICT_SERVER, ev->server, -1, METHOD_SERVER},
    };
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        if (cand[i].src != src && cand[i].svc >= 0 && cand[i].svc != decided) {
            out->alt_rule = cand[i].rule;
            out->alt_method = cand[i].m;
            return;
        }
}

enum verdict_source verdict_decide(const struct verdict_evidence *ev, const struct sig_set *sigs,
                                   struct cls_result *out)
{
    unsigned f = facts(ev);
    enum verdict_source src = VERDICT_NONE;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if ((f & rules[i].need) == rules[i].need && !(f & rules[i].deny)) {
            src = rules[i].src;
            break;
        }
    out->service[0] = '\0';
    out->service_src = "";
    out->cls = SIG_CLASS_OTHER;
    out->method = METHOD_NONE;
    out->confidence = 0;
    out->rule = -1;
    out->alt_rule = -1;
    out->alt_method = METHOD_NONE;
    alternative(ev, src, out);
    switch (src) {
    case VERDICT_DECODER:
        str_copy(out->service, sizeof out->service, ev->decoder_proto);
        out->service_src = ev->decoder_proto;
        out->cls = ev->decoder_class;
        out->method = METHOD_DECODER;
        out->confidence = ev->decoder_conf;
        break;
    case VERDICT_OURS:
        set_service(sigs, ev->ours, ev->ours_method, ev->ours_conf, ev->ours_rule, out);
        break;
    case VERDICT_NDPI_DNS:
        str_copy(out->service, sizeof out->service, "DNS");
        out->service_src = "DNS";
        out->method = METHOD_NDPI;
        /* nDPI's answer, or our parser's (a whole DNS message read) */
        out->confidence = ev->ndpi_dns ? ev->ndpi_conf : CONF_NDPI_DPI;
        break;
    case VERDICT_SOCKET:
        set_service(sigs, ev->socket, METHOD_SOCKET, CONF_SOCKET, -1, out);
        break;
    case VERDICT_SERVER:
        set_service(sigs, ev->server, METHOD_SERVER, CONF_SERVER, -1, out);
        break;
    case VERDICT_NDPI:
        set_service(sigs, ev->ndpi, ev->ndpi_method, ev->ndpi_candidate_conf, ev->ndpi_rule, out);
        break;
    case VERDICT_NDPI_NAME:
        str_copy(out->service, sizeof out->service, ev->ndpi_app_name);
        out->service_src = ev->ndpi_app_name;
        out->method = METHOD_NDPI;
        out->confidence = ev->ndpi_conf;
        break;
    case VERDICT_NONE:
        break;
    }
    return src;
}
