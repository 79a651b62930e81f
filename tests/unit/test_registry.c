/* test_registry.c - the protocol registry: every row is well-formed, no
 * probe decides on a port (or PPID) alone, each fixture is claimed by its
 * own row only, counters are exported by name. */
#include "classify/registry.h"

#include <string.h>

#include "classify/sctp_chunks.h"
#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"

static const uint8_t transports[] = {PROTO_T_TCP, PROTO_T_UDP, PROTO_T_SCTP};

TEST(rows_well_formed)
{
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    CHECK(n > 0 && n <= REGISTRY_MAX_ROWS);
    for (size_t i = 0; i < n; i++) {
        const struct proto_ops *o = rows[i];
        CHECK(o->name && o->name[0]);
        CHECK(o->probe != NULL);
        CHECK(o->transports != 0);
        CHECK((o->transports & ~(PROTO_T_TCP | PROTO_T_UDP | PROTO_T_SCTP | PROTO_T_MTP3 |
                                 PROTO_T_ICMP6)) == 0);
        /* ICMPv6 messages reach the signalling rows only (carrier.c) */
        CHECK(!(o->transports & PROTO_T_ICMP6) || o->role == PROTO_ROLE_SIGNALLING);
        CHECK((o->state_new == NULL) == (o->state_free == NULL));
        CHECK((o->shared_new == NULL) == (o->shared_free == NULL));
        CHECK(o->ncounters <= PROTO_MAX_COUNTERS);
        CHECK(o->sparse_from <= o->ncounters);
        CHECK(o->ncounters == 0 || o->counter_names != NULL);
        CHECK(registry_find(o->name) == o); /* names are unique */
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(rows[j]->name, o->name) != 0);
        switch (o->role) {
        case PROTO_ROLE_SIGNALLING:
            CHECK(o->parse != NULL);
            CHECK(strlen(o->name) < 8); /* fits carrier_verdict.protocol */
            CHECK(o->cls < SIG_CLASS_COUNT);
            if (o->transports & PROTO_T_TCP)
                CHECK(o->tcp != NULL && o->tcp->header_ok != NULL);
            CHECK(o->dirs == 0 && o->server_port == 0); /* META-only fields */
            break;
        case PROTO_ROLE_META:
            CHECK(o->parse != NULL);
            CHECK(o->dirs != 0 && (o->dirs & ~3u) == 0);
            CHECK(o->state_new == NULL); /* META rows are stateless */
            break;
        case PROTO_ROLE_DETECTOR:
            CHECK(o->parse == NULL && o->state_new == NULL);
            break;
        default:
            CHECK(!"unknown role");
        }
    }
    CHECK(registry_find("no-such-protocol") == NULL);
}

/* A probe given every port and PPID that could tempt it but bytes of no
 * protocol must exclude: the port never decides. */
TEST(probe_never_port_alone)
{
    static const uint16_t ports[] = {0, 53, 80, 443, 2775, 2905, 3868, 5060, 5061};
    static const uint32_t ppids[] = {0, 3, 46, 47};
    static const uint8_t fill[] = {0x00, 0xff, 0x20};
    uint8_t junk[96];
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < sizeof transports; t++) {
            if (!(rows[i]->transports & transports[t]))
                continue;
            for (size_t f = 0; f < sizeof fill; f++) {
                memset(junk, fill[f], sizeof junk);
                for (size_t p = 0; p < sizeof ports / sizeof ports[0]; p++)
                    for (size_t q = 0; q < sizeof ppids / sizeof ppids[0]; q++)
                        for (int d = 0; d < 2; d++) {
                            struct proto_probe pp = {
                                .transport = transports[t], .dir = (enum dir)d,
                                .sport = ports[p], .dport = ports[p],
                                .ppid = transports[t] == PROTO_T_SCTP ? ppids[q] : 0,
                                .bytes = {junk, sizeof junk}};
                            if (rows[i]->probe(&pp) != PROTO_EXCLUDE) {
                                CHECK(!"probe accepted junk on a port");
                                fprintf(stderr, "  row %s transport %u fill %02x port %u ppid %u\n",
                                        rows[i]->name, transports[t], fill[f], ports[p],
                                        ppids[q]);
                            }
                        }
            }
        }
}

/* The signalling rows a probe of these bytes matches, as "a,b". */
static void matching(uint8_t t, uint32_t ppid, uint16_t port, struct span s, char *out,
                     size_t cap)
{
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const struct proto_ops *o = rows[i];
        if (o->role != PROTO_ROLE_SIGNALLING || !(o->transports & t))
            continue;
        struct proto_probe pp = {.transport = t, .sport = 40000, .dport = port, .ppid = ppid,
                                 .bytes = s};
        if (o->probe(&pp) == PROTO_MATCH) {
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%s%s", used ? "," : "", o->name);
        }
    }
}

struct first_data {
    struct sctp_data d;
    bool found;
};

static bool take_first(const struct sctp_data *d, void *user)
{
    struct first_data *x = user;
    x->d = *d;
    x->found = true;
    return true;
}

TEST(fixtures_claimed_by_their_row)
{
    char got[64];
    matching(PROTO_T_TCP, 0, 2775, (struct span){fx_smpp_submit, sizeof fx_smpp_submit}, got,
             sizeof got);
    CHECK_STR(got, "smpp");
    matching(PROTO_T_TCP, 0, 5060, (struct span){fx_sip_mo, sizeof fx_sip_mo}, got, sizeof got);
    CHECK_STR(got, "sip");
    matching(PROTO_T_UDP, 0, 5060, (struct span){fx_sip_202, sizeof fx_sip_202}, got, sizeof got);
    CHECK_STR(got, "sip");
    matching(PROTO_T_TCP, 0, 3868, (struct span){fx_sgd_ofr, sizeof fx_sgd_ofr}, got, sizeof got);
    CHECK_STR(got, "sgd");
    /* the same Diameter bytes on a port that is not Diameter's: still Diameter */
    matching(PROTO_T_TCP, 0, 40001, (struct span){fx_sgd_ofa, sizeof fx_sgd_ofa}, got, sizeof got);
    CHECK_STR(got, "sgd");
    struct first_data x = {.found = false};
    sctp_chunks_walk((struct span){fx_map_mo, sizeof fx_map_mo}, take_first, &x);
    CHECK(x.found);
    matching(PROTO_T_SCTP, x.d.ppid, 2905, cur_rest(&x.d.user), got, sizeof got);
    CHECK_STR(got, "map");
    /* M3UA bytes with a PPID that is not M3UA's: no row */
    matching(PROTO_T_SCTP, 0, 2905, cur_rest(&x.d.user), got, sizeof got);
    CHECK_STR(got, "");
    x.found = false;
    sctp_chunks_walk((struct span){fx_sgd_tfr_sctp, sizeof fx_sgd_tfr_sctp}, take_first, &x);
    CHECK(x.found);
    matching(PROTO_T_SCTP, x.d.ppid, 40001, cur_rest(&x.d.user), got, sizeof got);
    CHECK_STR(got, "sgd");
}

struct sums {
    uint64_t invalid, resyncs, hellos;
    unsigned calls;
};

static void put(void *user, const char *name, uint64_t v)
{
    struct sums *s = user;
    s->calls++;
    if (strcmp(name, "sms_pdus_invalid") == 0)
        s->invalid += v;
    else if (strcmp(name, "sms_resyncs") == 0)
        s->resyncs += v;
    else if (strcmp(name, "tls_client_hellos") == 0)
        s->hellos += v;
}

TEST(counters_exported_by_name)
{
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    static struct registry_counters c;
    memset(&c, 0, sizeof c);
    uint64_t want_invalid = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < rows[i]->ncounters; k++) {
            c.v[i][k] = 10 * i + k + 1;
            if (rows[i]->counter_names[k] &&
                strcmp(rows[i]->counter_names[k], "sms_pdus_invalid") == 0)
                want_invalid += c.v[i][k];
        }
    struct sums s = {0, 0, 0, 0};
    registry_export(&c, put, &s);
    CHECK(s.calls > 0);
    CHECK(want_invalid > 0);
    CHECK(s.invalid == want_invalid); /* summed over smpp, sip, map, sgd */
    const struct proto_ops *tls = registry_find("tls");
    CHECK(tls != NULL);
    CHECK(s.hellos > 0);
}

/* A row's counters from sparse_from on are written only when not 0 (the
 * RAN rows' directory counters), the others always. */
static unsigned seen_moved, seen_unread;

static void put_names(void *user, const char *name, uint64_t v)
{
    (void)user;
    (void)v;
    if (strcmp(name, "s1ap_ues_moved") == 0)
        seen_moved++;
    if (strcmp(name, "s1ap_nas_unread") == 0)
        seen_unread++;
}

TEST(sparse_counters)
{
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    const struct proto_ops *s1 = registry_find("s1ap");
    CHECK(s1 != NULL && s1->sparse_from > 0 && s1->sparse_from < s1->ncounters);
    static struct registry_counters c;
    memset(&c, 0, sizeof c);
    seen_moved = seen_unread = 0;
    registry_export(&c, put_names, NULL);
    CHECK_EQ_INT(seen_moved, 0);
    CHECK_EQ_INT(seen_unread, 1);
    for (size_t i = 0; i < n; i++)
        if (rows[i] == s1)
            c.v[i][s1->sparse_from] = 2;
    registry_export(&c, put_names, NULL);
    CHECK_EQ_INT(seen_moved, 1);
    CHECK_EQ_INT(seen_unread, 2);
}

int main(void)
{
    RUN(rows_well_formed);
    RUN(probe_never_port_alone);
    RUN(fixtures_claimed_by_their_row);
    RUN(counters_exported_by_name);
    RUN(sparse_counters);
    return harness_done();
}
