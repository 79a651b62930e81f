/* pcapgen.c - writes trapline's deterministic fixture captures.
 *
 * Usage: pcapgen OUTDIR. Writes every fixture listed in pcaps/README.md into
 * OUTDIR, byte for byte the same on every run: fixed addresses, fixed
 * timestamps from 2024-03-01T10:00:00Z, fixed-seed pseudo-random payloads.
 * Specs: see build.h, payload.h and writer.h; the packet sequences of each
 * file are described next to its generator function below.
 */
#include "build.h"
#include "mcore.h"
#include "ott.h"
#include "hostile.h"
#include "payload.h"
#include "sess.h"
#include "sms.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PCAPGEN_START_US (UINT64_C(1709287200) * 1000000u) /* 2024-03-01T10:00:00Z */
#define PCAPGEN_PATH_MAX 4096u
#define PCAPGEN_ERR_MAX 256u

/* Milliseconds to microseconds. A macro, not an inline function, because
 * the static service table below needs constant expressions. */
#define MS(x) ((uint32_t)(x) * 1000u)

#define CLIENT4 "10.0.0.10"
#define CLIENT6 "2001:db8::10"
#define RESOLVER4 "10.0.0.1"
#define RESOLVER6 "2001:db8::53"
#define WEB4 "93.184.216.34"
#define WEB6 "2001:db8::80"
#define EXAMPLE_AAAA "2606:2800:220:1:248:1893:25c8:1946"
#define DEBIAN_A "130.89.148.77"
#define NTP_SERVER "162.159.200.1" /* time.cloudflare.com */
#define UE4 "10.45.0.2"
#define UE6 "2001:db8:45::2"
#define SCTP_A "10.0.0.20"
#define SCTP_B "10.0.0.30"

#define DNS_RTT MS(8)
#define FLOW_GAP MS(500) /* idle time between two conversations */
#define SCTP_PORT_M3UA 2905 /* RFC 4666 §1.4.8 */
#define SCTP_PPID_M3UA 3    /* RFC 4666 §1.4.8 */

/* A generator writes one file; out is the joined path. */
typedef int (*gen_fn)(const char *out, char *err, size_t errlen);

/* The three OTT services of ott_tls.pcap; vlan/sll/gtpu reuse them. */
enum { SVC_APPLE, SVC_SIGNAL, SVC_WHATSAPP, SVC_COUNT };

struct svc {
    const char *name; /* DNS name and SNI */
    const char *addr;
    uint16_t dns_sport, dns_id;
    struct sess_tls tls;
};

static const struct svc svcs[SVC_COUNT] = {
    [SVC_APPLE] = { "courier.push.apple.com", "17.57.144.116", 40001, 0x1a01,
                    { "courier.push.apple.com", "apns-security-v3", CLIENT4, "17.57.144.116",
                      50101, 5223, MS(25), 0x41504e53u, 3,
                      { MS(1500), MS(200), MS(2600) } } },
    [SVC_SIGNAL] = { "chat.signal.org", "13.248.212.111", 40002, 0x1a02,
                     { "chat.signal.org", "http/1.1", CLIENT4, "13.248.212.111", 50102, 443,
                       MS(18), 0x5349474eu, 4,
                       { MS(300), MS(2200), MS(400), MS(1300) } } },
    [SVC_WHATSAPP] = { "web.whatsapp.com", "157.240.0.53", 40003, 0x1a03,
                       { "web.whatsapp.com", "h2", CLIENT4, "157.240.0.53", 50103, 443,
                         MS(30), 0x57484154u, 5,
                         { MS(250), MS(1800), MS(600), MS(3000), MS(200) } } },
};

/* The IPv6 TLS flow of background/raw/null (no ALPN offered). */
static const struct sess_tls tls_v6 = { "www.example.com", NULL, CLIENT6, WEB6, 50601, 443,
                                        MS(12), 0x49505636u, 1, { MS(300) } };

static const struct build_link link_eth = {
    .kind = BUILD_LINK_ETH,
    .cli_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a },
    .gw_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
    .ifindex = 2,
};

static struct build_link link_of(enum build_link_kind kind)
{
    struct build_link l = link_eth;

    l.kind = kind;
    return l;
}

/* DNS look-up of a service from `cli`, then its TLS flow. */
static void svc_visit(struct sess *s, int which, const char *cli)
{
    const struct svc *v = &svcs[which];
    struct sess_tls t = v->tls;

    t.cli = cli;
    sess_dns(s, cli, RESOLVER4, v->dns_sport, v->dns_id, v->name, PAYLOAD_DNS_A, v->addr,
             DNS_RTT);
    sess_wait(s, MS(3));
    sess_tls_flow(s, &t);
    sess_wait(s, FLOW_GAP);
}

/* Opens `out` and starts a session on it at PCAPGEN_START_US; the caller
 * ends with sess_finish(), which closes the writer. */
static struct writer *gen_open(const char *out, enum writer_fmt fmt, uint32_t linktype,
                               struct sess *s, const struct build_link *link, char *err,
                               size_t errlen)
{
    struct writer *w = writer_open(out, fmt, linktype, err, errlen);

    if (w != NULL)
        sess_init(s, w, link, PCAPGEN_START_US);
    return w;
}

/* ott_tls.pcap: for Apple push, Signal and WhatsApp Web in turn, a DNS A
 * look-up and a TLS 1.3 flow with idle gaps of 0.2-3 s between bursts. */
static int gen_ott_tls(const char *out, char *err, size_t errlen)
{
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    for (int i = 0; i < SVC_COUNT; i++)
        svc_visit(&s, i, CLIENT4);
    return sess_finish(&s, out, err, errlen);
}

/* Wraps an already-built L4 message in an IP header from template tmpl
 * (fresh IPv4 id) and emits it. */
static void ip_raw(struct sess *s, bool from_client, const struct build_addr *src,
                    const struct build_addr *dst, const struct build_ip *tmpl,
                    const struct build_buf *l4)
{
    struct build_ip h = *tmpl;
    struct build_buf ip;

    h.src = *src;
    h.dst = *dst;
    h.id = s->ip_id++;
    build_ip_packet(&ip, &h, l4->b, l4->len);
    if (l4->overflow)
        ip.overflow = true;
    sess_emit_ip(s, from_client, &ip);
}

/* Plain HTTP/1.1 GET and 200 response (RFC 9112) on a fresh connection. */
static void background_http(struct sess *s)
{
    static const char body[] = "<!doctype html>\n<html><head><title>Example Domain</title>"
                               "</head><body><p>Example.</p></body></html>\n";
    struct build_addr c = build_addr(CLIENT4), w = build_addr(WEB4);
    struct build_tcp_conn conn;
    struct build_buf msg;
    char hdr[256];

    build_tcp_conn_init(&conn, &c, 50201, &w, 80, 0x3c1d6f20u, 0x8a41e7b3u);
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_SYN, NULL);
    sess_wait(s, MS(20));
    sess_tcp(s, &conn, BUILD_S2C, BUILD_TCP_SYN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_ACK, NULL);
    build_reset(&msg);
    build_str(&msg, "GET / HTTP/1.1\r\nHost: example.org\r\n"
                    "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n");
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_wait(s, MS(20));
    sess_tcp(s, &conn, BUILD_S2C, BUILD_TCP_ACK, NULL);
    sess_wait(s, MS(1));
    snprintf(hdr, sizeof(hdr),
             "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
             "Date: Fri, 01 Mar 2024 10:00:00 GMT\r\nContent-Length: %zu\r\n\r\n",
             sizeof(body) - 1);
    build_reset(&msg);
    build_str(&msg, hdr);
    build_str(&msg, body);
    sess_tcp(s, &conn, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_ACK, NULL);
    sess_wait(s, MS(100));
    sess_tls_close(s, &conn, MS(20));
}

/* ICMP echo request/reply (RFC 792), Linux ping payload layout. */
static void background_icmp(struct sess *s)
{
    struct build_addr c = build_addr(CLIENT4), w = build_addr(WEB4);
    struct build_ip h = { .proto = BUILD_PROTO_ICMP, .ttl = 64, .dont_frag = true };
    struct build_buf data, icmp;

    build_reset(&data);
    build_be32(&data, 1709287200u + 2u); /* struct timeval the sender stamped */
    build_be32(&data, 0);
    for (uint8_t b = 0x10; b < 0x40; b++)
        build_u8(&data, b);
    build_icmp_echo(&icmp, 8, 0x3a01, 1, data.b, data.len);
    ip_raw(s, true, &c, &w, &h, &icmp);
    sess_wait(s, MS(20));
    h.ttl = 57;
    build_icmp_echo(&icmp, 0, 0x3a01, 1, data.b, data.len);
    ip_raw(s, false, &w, &c, &h, &icmp);
}

/* One NTPv4 client/server exchange on port 123 (RFC 5905). */
static void background_ntp(struct sess *s)
{
    struct build_addr c = build_addr(CLIENT4), n = build_addr(NTP_SERVER);
    struct build_buf msg;
    uint64_t sent = s->ts_us;

    payload_ntp(&msg, 3, sent, 0);
    sess_udp(s, true, &c, &n, 123, 123, &msg);
    sess_wait(s, MS(11));
    payload_ntp(&msg, 4, s->ts_us, sent);
    sess_udp(s, false, &n, &c, 123, 123, &msg);
}

/* IPv4 with a Router Alert option (RFC 2113: 0x94 0x04 0x0000) → IHL 6,
 * carrying a 16-byte UDP echo (port 7) datagram. */
static void background_ip_options(struct sess *s)
{
    static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 };
    struct build_addr c = build_addr(CLIENT4), r = build_addr(RESOLVER4);
    struct build_ip h = { .proto = BUILD_PROTO_UDP, .ttl = 1, .opt = ra, .opt_len = sizeof(ra) };
    struct build_buf data, udp;

    build_reset(&data);
    build_str(&data, "trapline-ipopt-1");
    build_udp(&udp, &c, &r, 40007, 7, data.b, data.len);
    ip_raw(s, true, &c, &r, &h, &udp);
}

/* A 1,200-byte UDP datagram (port 5001) in three 400-byte IPv4 fragments
 * (RFC 791 §2.3); only the first carries the UDP header and ports. */
static void background_fragments(struct sess *s)
{
    enum { FRAG_DATA = 400, FRAG_COUNT = 3 };
    struct build_addr c = build_addr(CLIENT4), r = build_addr(RESOLVER4);
    struct build_ip h = { .proto = BUILD_PROTO_UDP, .ttl = 64 };
    struct build_buf data, udp, ip;

    build_reset(&data);
    build_rng_bytes(&data, &s->rng, FRAG_DATA * FRAG_COUNT - 8);
    build_udp(&udp, &c, &r, 40010, 5001, data.b, data.len);
    h.src = c;
    h.dst = r;
    h.id = s->ip_id++; /* one identification for all fragments */
    for (size_t i = 0; i < FRAG_COUNT; i++) {
        h.frag_off = (uint16_t)(i * FRAG_DATA);
        h.more_frags = i + 1 < FRAG_COUNT;
        build_ip_packet(&ip, &h, udp.b + i * FRAG_DATA, FRAG_DATA);
        sess_emit_ip(s, true, &ip);
    }
}

/* IPv6 DNS AAAA query behind a Hop-by-Hop (Router Alert + PadN) and a
 * Destination Options (PadN) header (RFC 8200 §4.3, §4.6; RFC 2711), and
 * its plain answer. */
static void background_ipv6_ext(struct sess *s)
{
    static const uint8_t ext[16] = {
        60, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00, /* HBH → DstOpt: RA(MLD), Pad2 */
        17, 0, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, /* DstOpt → UDP: PadN(4) */
    };
    struct build_addr c = build_addr(CLIENT6), r = build_addr(RESOLVER6);
    struct build_ip h = { .proto = BUILD_PROTO_UDP, .ttl = 64, .opt = ext,
                          .opt_len = sizeof(ext), .ext_first = 0 };
    struct build_buf msg, udp;

    payload_dns_query(&msg, 0x2b05, "www.example.com", PAYLOAD_DNS_AAAA);
    build_udp(&udp, &c, &r, 40120, 53, msg.b, msg.len);
    ip_raw(s, true, &c, &r, &h, &udp);
    sess_wait(s, DNS_RTT);
    {
        struct build_addr a = build_addr(EXAMPLE_AAAA);

        payload_dns_answer(&msg, 0x2b05, "www.example.com", PAYLOAD_DNS_AAAA, &a);
    }
    sess_udp(s, false, &r, &c, 53, 40120, &msg);
}

/* background.pcap: everyday non-OTT traffic and IP-layer corner cases. */
static int gen_background(const char *out, char *err, size_t errlen)
{
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    sess_dns(&s, CLIENT4, RESOLVER4, 40101, 0x2b01, "example.org", PAYLOAD_DNS_A, WEB4, DNS_RTT);
    sess_dns(&s, CLIENT4, RESOLVER4, 40102, 0x2b02, "example.org", PAYLOAD_DNS_AAAA,
             EXAMPLE_AAAA, DNS_RTT);
    sess_wait(&s, MS(2));
    background_http(&s);
    sess_wait(&s, FLOW_GAP);
    sess_dns(&s, CLIENT4, RESOLVER4, 40103, 0x2b03, "www.debian.org", PAYLOAD_DNS_A, DEBIAN_A,
             DNS_RTT);
    sess_wait(&s, FLOW_GAP);
    background_icmp(&s);
    sess_wait(&s, FLOW_GAP);
    sess_tls_flow(&s, &tls_v6);
    sess_wait(&s, FLOW_GAP);
    background_ntp(&s);
    sess_wait(&s, FLOW_GAP);
    background_ip_options(&s);
    sess_wait(&s, FLOW_GAP);
    background_fragments(&s);
    sess_wait(&s, FLOW_GAP);
    background_ipv6_ext(&s);
    return sess_finish(&s, out, err, errlen);
}

/* gtpu.pcap: UE 10.45.0.2 behind GTP-U (TS 29.281) between 192.0.2.1 (RAN)
 * and 192.0.2.2 (UPF): DNS + TLS to chat.signal.org, the first two G-PDUs
 * with a PDU Session Container, then one inner IPv6 DNS query. */
static int gen_gtpu(const char *out, char *err, size_t errlen)
{
    static const struct build_gtp gtp_cfg = { { 4, { 192, 0, 2, 1 } }, { 4, { 192, 0, 2, 2 } },
                                              0x1234abcdu, 0x5678ef01u };
    struct build_addr ue6 = build_addr(UE6), r6 = build_addr(RESOLVER6);
    struct build_buf msg;
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    s.gtp = &gtp_cfg;
    s.gtp_ext_left = 2;
    svc_visit(&s, SVC_SIGNAL, UE4);
    payload_dns_query(&msg, 0x4c01, "chat.signal.org", PAYLOAD_DNS_AAAA);
    sess_udp(&s, true, &ue6, &r6, 40201, 53, &msg);
    return sess_finish(&s, out, err, errlen);
}

/* overlay.pcap (from 15:00): OTT flows as a tap sees them through overlay
 * tunnels (outer endpoints in 192.0.2.0/24 or 2001:db8:ffff::/64):
 *   IP in IP (protocol 4)              DNS + TLS to chat.signal.org
 *   GRE, key 0x2a                      DNS + TLS to web.whatsapp.com
 *   ERSPAN II, session 42, VLAN 300    DNS + TLS to courier.push.apple.com
 *   VXLAN, VNI 4242                    DNS + TLS to chat.signal.org from 10.0.0.11
 *   GENEVE over IPv6, VNI 77           DNS + TLS to web.whatsapp.com from 10.0.0.12
 * then one datagram to UDP 4789 whose I flag is clear: not VXLAN, so it
 * stays a plain UDP flow; then the PPP tunnels, VXLAN-GPE, CAPWAP and TZSP
 * below, a Teredo client's TLS to chat.signal.org through a relay, and
 * L2TPv3 Ethernet pseudowires in IP and on UDP. */
static int gen_overlay(const char *out, char *err, size_t errlen)
{
    static const struct build_overlay ovl[] = {
        { BUILD_OVL_IPIP, { 4, { 192, 0, 2, 101 } }, { 4, { 192, 0, 2, 102 } }, 0, 0 },
        { BUILD_OVL_GRE, { 4, { 192, 0, 2, 103 } }, { 4, { 192, 0, 2, 104 } }, 0x2a, 0 },
        { BUILD_OVL_ERSPAN2, { 4, { 192, 0, 2, 105 } }, { 4, { 192, 0, 2, 106 } }, 42, 300 },
        { BUILD_OVL_VXLAN, { 4, { 192, 0, 2, 107 } }, { 4, { 192, 0, 2, 108 } }, 4242, 0 },
        { BUILD_OVL_GENEVE,
          { 6, { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
          { 6, { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } }, 77, 0 },
    };
    static const struct { int svc; const char *cli; } visits[] = {
        { SVC_SIGNAL, CLIENT4 }, { SVC_WHATSAPP, CLIENT4 }, { SVC_APPLE, CLIENT4 },
        { SVC_SIGNAL, "10.0.0.11" }, { SVC_WHATSAPP, "10.0.0.12" },
    };
    struct build_addr a = build_addr("192.0.2.109"), b = build_addr("192.0.2.110");
    struct build_buf msg;
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    /* five hours after the start, after every other file: in a run over
     * all of pcaps/ its flows do not merge with the same flows elsewhere */
    s.ts_us = PCAPGEN_START_US + UINT64_C(18000) * 1000000u;
    for (size_t i = 0; i < sizeof(ovl) / sizeof(ovl[0]); i++) {
        s.ovl = &ovl[i];
        s.ovl_seq = 1;
        svc_visit(&s, visits[i].svc, visits[i].cli);
    }
    s.ovl = NULL;
    build_reset(&msg);
    build_zero(&msg, 8); /* a VXLAN-sized header with the I flag clear */
    build_str(&msg, "not vxlan");
    sess_udp(&s, true, &a, &b, 49153, 4789, &msg);
    /* Added later, after the rest so the packets above stay as they were:
     * the PPP tunnels, a PPTP call (RFC 2637) and an L2TP session between a
     * LAC and an LNS (RFC 2661), both ways; VXLAN-GPE; a wireless access
     * point's CAPWAP data channel to its controller, both ways; a router's
     * TZSP sniffer stream */
    static const struct build_overlay ppp_ovl[] = {
        { BUILD_OVL_PPTP, { 4, { 192, 0, 2, 111 } }, { 4, { 192, 0, 2, 112 } }, 0x4000, 0 },
        { BUILD_OVL_L2TP, { 4, { 192, 0, 2, 113 } }, { 4, { 192, 0, 2, 114 } }, 0x00070100, 0 },
        { BUILD_OVL_VXLAN_GPE, { 4, { 192, 0, 2, 115 } }, { 4, { 192, 0, 2, 116 } }, 4243, 0 },
        { BUILD_OVL_CAPWAP, { 4, { 192, 0, 2, 117 } }, { 4, { 192, 0, 2, 118 } }, 0, 0 },
        { BUILD_OVL_TZSP, { 4, { 192, 0, 2, 119 } }, { 4, { 192, 0, 2, 120 } }, 0, 0 },
    };
    static const struct { int svc; const char *cli; } ppp_visits[] = {
        { SVC_APPLE, "10.0.0.13" }, { SVC_SIGNAL, "10.0.0.14" }, { SVC_WHATSAPP, "10.0.0.15" },
        { SVC_SIGNAL, "10.0.0.16" }, { SVC_APPLE, "10.0.0.17" },
    };
    for (size_t i = 0; i < sizeof(ppp_ovl) / sizeof(ppp_ovl[0]); i++) {
        sess_wait(&s, MS(500));
        s.ovl = &ppp_ovl[i];
        s.ovl_seq = 1;
        svc_visit(&s, ppp_visits[i].svc, ppp_visits[i].cli);
    }
    /* Added later still: a Teredo client (RFC 4380; its address names its
     * server 192.0.2.121 and, obfuscated, its NAT mapping 198.51.100.7:40000)
     * reaching chat.signal.org over IPv6 through a relay at 192.0.2.122 */
    static const struct build_overlay teredo = {
        BUILD_OVL_TEREDO, { 4, { 198, 51, 100, 7 } }, { 4, { 192, 0, 2, 122 } }, 0, 0 };
    static const struct sess_tls teredo_tls = { "chat.signal.org", "http/1.1",
                                                "2001:0:c000:279:8000:63bf:39cc:9bf8", WEB6,
                                                50701, 443, MS(40), 0x54455245u, 2,
                                                { MS(200), MS(900) } };
    sess_wait(&s, MS(500));
    s.ovl = &teredo;
    s.ovl_seq = 1;
    sess_tls_flow(&s, &teredo_tls);
    /* Added later again: two sites joined by L2TPv3 Ethernet pseudowires
     * (RFC 3931, RFC 4719), in IP with a cookie and the sublayer, and on
     * UDP with neither; their clients visit WhatsApp and Signal */
    static const struct build_overlay l2tpv3[] = {
        { BUILD_OVL_L2TPV3_IP, { 4, { 192, 0, 2, 123 } }, { 4, { 192, 0, 2, 124 } }, 0x1e240,
          0 },
        { BUILD_OVL_L2TPV3_UDP, { 4, { 192, 0, 2, 125 } }, { 4, { 192, 0, 2, 126 } }, 0x2a,
          0 },
    };
    static const struct { int svc; const char *cli; } l2tpv3_visits[] = {
        { SVC_WHATSAPP, "10.0.0.18" }, { SVC_SIGNAL, "10.0.0.19" },
    };
    for (size_t i = 0; i < sizeof(l2tpv3) / sizeof(l2tpv3[0]); i++) {
        sess_wait(&s, MS(500));
        s.ovl = &l2tpv3[i];
        s.ovl_seq = 1;
        svc_visit(&s, l2tpv3_visits[i].svc, l2tpv3_visits[i].cli);
    }
    s.ovl = NULL;
    return sess_finish(&s, out, err, errlen);
}

/* vlan.pcapng: WhatsApp in 802.1Q VLAN 100, Apple push in QinQ 200/300,
 * Signal under a two-label MPLS stack, and a DNS exchange in PPPoE. */
static int gen_vlan(const char *out, char *err, size_t errlen)
{
    struct build_link l = link_of(BUILD_LINK_VLAN);
    struct sess s;

    l.vlan_outer = 100;
    if (gen_open(out, WRITER_PCAPNG, WRITER_LINK_EN10MB, &s, &l, err, errlen) == NULL)
        return GEN_RC_IO;
    svc_visit(&s, SVC_WHATSAPP, CLIENT4);
    s.link.kind = BUILD_LINK_QINQ;
    s.link.vlan_outer = 200;
    s.link.vlan_inner = 300;
    svc_visit(&s, SVC_APPLE, CLIENT4);
    s.link.kind = BUILD_LINK_MPLS;
    s.link.mpls_label[0] = 1000;
    s.link.mpls_label[1] = 2001;
    svc_visit(&s, SVC_SIGNAL, CLIENT4);
    s.link.kind = BUILD_LINK_PPPOE;
    s.link.pppoe_session = 0x0011;
    sess_dns(&s, CLIENT4, RESOLVER4, 40301, 0x2c01, "example.org", PAYLOAD_DNS_A, WEB4, DNS_RTT);
    return sess_finish(&s, out, err, errlen);
}

/* sll.pcap / sll2.pcap: DNS + TLS to chat.signal.org on a Linux cooked link. */
static int gen_cooked(const char *out, uint32_t linktype, enum build_link_kind kind, char *err,
                      size_t errlen)
{
    struct build_link l = link_of(kind);
    struct sess s;

    if (gen_open(out, WRITER_PCAP, linktype, &s, &l, err, errlen) == NULL)
        return GEN_RC_IO;
    svc_visit(&s, SVC_SIGNAL, CLIENT4);
    return sess_finish(&s, out, err, errlen);
}

static int gen_sll(const char *out, char *err, size_t errlen)
{
    return gen_cooked(out, WRITER_LINK_LINUX_SLL, BUILD_LINK_SLL, err, errlen);
}

static int gen_sll2(const char *out, char *err, size_t errlen)
{
    return gen_cooked(out, WRITER_LINK_LINUX_SLL2, BUILD_LINK_SLL2, err, errlen);
}

/* raw.pcap / null.pcap: an IPv4 DNS exchange and a short IPv6 TLS flow. */
static int gen_bare(const char *out, uint32_t linktype, enum build_link_kind kind, char *err,
                    size_t errlen)
{
    struct build_link l = link_of(kind);
    struct sess s;

    if (gen_open(out, WRITER_PCAP, linktype, &s, &l, err, errlen) == NULL)
        return GEN_RC_IO;
    sess_dns(&s, CLIENT4, RESOLVER4, 40401, 0x2d01, "chat.signal.org", PAYLOAD_DNS_A,
             svcs[SVC_SIGNAL].addr, DNS_RTT);
    sess_wait(&s, FLOW_GAP);
    sess_tls_flow(&s, &tls_v6);
    return sess_finish(&s, out, err, errlen);
}

static int gen_raw(const char *out, char *err, size_t errlen)
{
    return gen_bare(out, WRITER_LINK_RAW, BUILD_LINK_RAW, err, errlen);
}

static int gen_null(const char *out, char *err, size_t errlen)
{
    return gen_bare(out, WRITER_LINK_NULL, BUILD_LINK_NULL, err, errlen);
}

/* pktap.pcap (from 16:00): what `tcpdump -i pktap` writes on a Mac
 * (LINKTYPE_PKTAP): Apple push from process apsd, then WhatsApp Web from
 * process WhatsApp, each frame behind a PKTAP header naming en0. */
static int gen_pktap(const char *out, char *err, size_t errlen)
{
    struct build_link l = link_of(BUILD_LINK_PKTAP);
    struct sess s;

    l.pktap_ifname = "en0";
    l.pktap_cmd = "apsd";
    l.pktap_pid = 312;
    if (gen_open(out, WRITER_PCAP, WRITER_LINK_PKTAP, &s, &l, err, errlen) == NULL)
        return GEN_RC_IO;
    s.ts_us = PCAPGEN_START_US + UINT64_C(21600) * 1000000u;
    svc_visit(&s, SVC_APPLE, CLIENT4);
    s.link.pktap_cmd = "WhatsApp";
    s.link.pktap_pid = 4711;
    svc_visit(&s, SVC_WHATSAPP, CLIENT4);
    return sess_finish(&s, out, err, errlen);
}

/* One fragment of the UDP datagram udp (off, n: its bytes sent; more: MF/M)
 * from src to dst, IPv4 or IPv6 (a Fragment header, RFC 8200 section 4.5). */
static void frag_emit(struct sess *s, const struct build_addr *src, const struct build_addr *dst,
                      uint32_t id, const struct build_buf *udp, size_t off, size_t n, bool more)
{
    struct build_ip h = { .src = *src, .dst = *dst, .proto = BUILD_PROTO_UDP, .ttl = 64 };
    uint8_t fh[8] = { BUILD_PROTO_UDP, 0, (uint8_t)(off >> 8), (uint8_t)((off & 0xf8u) | more),
                      (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id };
    struct build_buf ip;

    if (src->ver == 4) {
        h.id = (uint16_t)id;
        h.frag_off = (uint16_t)off;
        h.more_frags = more;
    } else {
        h.opt = fh;
        h.opt_len = sizeof(fh);
        h.ext_first = 44; /* Fragment */
    }
    build_ip_packet(&ip, &h, udp->b + off, n);
    sess_emit_ip(s, true, &ip);
}

/* fragments.pcap (from 17:00): IP fragments as a tap sees them.
 *   UE 10.45.0.2 behind GTP-U between 192.0.2.31 (RAN) and 192.0.2.32
 *     (UPF) on a path of MTU 128: every outer packet longer than that is
 *     fragmented on the way, and the ClientHello to web.whatsapp.com (no
 *     DNS look-up before it) has its SNI in a later fragment;
 *   an IPv6 DNS query for chat.signal.org in two fragments, the second
 *     first;
 *   a DNS query whose second fragment the capture lacks (as behind a
 *     filter on the port): only the first fragment can tell the flow;
 *   two overlapping fragments with different bytes (RFC 1858): given up. */
static int gen_fragments(const char *out, char *err, size_t errlen)
{
    enum { MTU = 128, V6_CUT = 16, LONE_CUT = 24, OVL_A = 48, OVL_B = 40, OVL_DATA = 96 };
    static const struct build_gtp gtp_cfg = { { 4, { 192, 0, 2, 31 } }, { 4, { 192, 0, 2, 32 } },
                                              0x0a0b0c0du, 0x01020304u };
    struct sess_tls t = svcs[SVC_WHATSAPP].tls;
    struct build_addr c6 = build_addr(CLIENT6), r6 = build_addr(RESOLVER6);
    struct build_addr c4 = build_addr(CLIENT4), r4 = build_addr(RESOLVER4);
    struct build_buf msg, udp, other;
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    /* seven hours after the start, after every other file */
    s.ts_us = PCAPGEN_START_US + UINT64_C(25200) * 1000000u;
    s.gtp = &gtp_cfg;
    s.outer_mtu = MTU;
    t.cli = UE4;
    sess_tls_flow(&s, &t);
    s.gtp = NULL;
    s.outer_mtu = 0;
    sess_wait(&s, FLOW_GAP);

    payload_dns_query(&msg, 0x4e01, "chat.signal.org", PAYLOAD_DNS_AAAA);
    build_udp(&udp, &c6, &r6, 40601, 53, msg.b, msg.len);
    frag_emit(&s, &c6, &r6, 0x6001, &udp, V6_CUT, udp.len - V6_CUT, false);
    frag_emit(&s, &c6, &r6, 0x6001, &udp, 0, V6_CUT, true);
    sess_wait(&s, FLOW_GAP);

    payload_dns_query(&msg, 0x4e02, "web.whatsapp.com", PAYLOAD_DNS_A);
    build_udp(&udp, &c4, &r4, 40602, 53, msg.b, msg.len);
    frag_emit(&s, &c4, &r4, 0x6002, &udp, 0, LONE_CUT, true); /* the rest never comes */
    sess_wait(&s, FLOW_GAP);

    build_reset(&msg);
    build_rng_bytes(&msg, &s.rng, OVL_DATA - 8);
    build_udp(&udp, &c4, &r4, 40603, 5001, msg.b, msg.len);
    other = udp;
    for (size_t i = OVL_B; i < OVL_A; i++)
        other.b[i] ^= 0xff; /* the overlap says something else the second time */
    frag_emit(&s, &c4, &r4, 0x6003, &udp, 0, OVL_A, true);
    frag_emit(&s, &c4, &r4, 0x6003, &other, OVL_B, udp.len - OVL_B, false);
    return sess_finish(&s, out, err, errlen);
}

/* truncated.pcap: DNS + TLS (10 records); the last record is a 200-byte
 * frame of which only TRUNC_KEEP bytes survive, as if the writer died. */
static int gen_truncated(const char *out, char *err, size_t errlen)
{
    enum { LAST_FRAME = 200, TRUNC_KEEP = 37, REC_HDR = 16, HDRS = 14 + 20 + 20 + 5 };
    struct sess_tls t = svcs[SVC_SIGNAL].tls;
    struct build_tcp_conn c;
    uint64_t cut;
    struct sess s;
    int rc;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    sess_dns(&s, CLIENT4, RESOLVER4, 40002, 0x1a02, "chat.signal.org", PAYLOAD_DNS_A,
             svcs[SVC_SIGNAL].addr, DNS_RTT);
    sess_wait(&s, MS(3));
    sess_tls_open(&s, &c, &t);
    sess_wait(&s, MS(300));
    {
        struct build_buf msg;

        payload_tls_app_data(&msg, &s.rng, 120);
        sess_tcp(&s, &c, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
        sess_wait(&s, t.rtt_us);
        cut = writer_offset(s.w) + REC_HDR + TRUNC_KEEP;
        payload_tls_app_data(&msg, &s.rng, LAST_FRAME - HDRS);
        sess_tcp(&s, &c, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    }
    rc = sess_finish(&s, out, err, errlen);
    if (rc == GEN_OK && truncate(out, (off_t)cut) != 0) {
        snprintf(err, errlen, "%s: truncate failed", out);
        rc = GEN_RC_IO;
    }
    return rc;
}

struct sctp_assoc {
    struct build_addr a, b; /* a initiates */
};

/* Sends the chunks in ch (then empties ch) as one SCTP packet from A (a2b)
 * or B with verification tag vtag, 2 ms before the next one. */
static void sctp_send(struct sess *s, const struct sctp_assoc *sa, bool a2b, uint32_t vtag,
                      struct build_buf *ch)
{
    struct build_ip h = { .proto = BUILD_PROTO_SCTP, .ttl = 64, .dont_frag = true };
    struct build_buf pkt;

    build_sctp(&pkt, SCTP_PORT_M3UA, SCTP_PORT_M3UA, vtag, ch->b, ch->len);
    if (ch->overflow)
        pkt.overflow = true;
    ip_raw(s, a2b, a2b ? &sa->a : &sa->b, a2b ? &sa->b : &sa->a, &h, &pkt);
    sess_wait(s, MS(2));
    build_reset(ch);
}

/* sctp.pcap: an M3UA association (RFC 9260 §5.1 four-way set-up), DATA
 * with PPID 3 (one packet bundles two DATA chunks), SACKs, shutdown. */
static int gen_sctp(const char *out, char *err, size_t errlen)
{
    enum { COOKIE_LEN = 24 };
    const uint32_t tag_a = 0x5ca1ab1eu, tag_b = 0x0b5e55edu, tsn_a = 1000, tsn_b = 5000;
    struct sctp_assoc sa = { build_addr(SCTP_A), build_addr(SCTP_B) };
    struct build_buf ch, beat, cookie;
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, &s, &link_eth, err, errlen) == NULL)
        return GEN_RC_IO;
    build_rng_seed(&s.rng, 0x53435450u);
    build_reset(&cookie);
    build_rng_bytes(&cookie, &s.rng, COOKIE_LEN);

    build_reset(&ch);
    payload_sctp_init(&ch, false, tag_a, tsn_a, NULL, 0);
    sctp_send(&s, &sa, true, 0, &ch);
    payload_sctp_init(&ch, true, tag_b, tsn_b, cookie.b, cookie.len);
    sctp_send(&s, &sa, false, tag_a, &ch);
    payload_sctp_cookie(&ch, false, cookie.b, cookie.len);
    sctp_send(&s, &sa, true, tag_b, &ch);
    payload_sctp_cookie(&ch, true, NULL, 0);
    sctp_send(&s, &sa, false, tag_a, &ch);
    payload_m3ua_beat(&beat, &s.rng);
    payload_sctp_data(&ch, tsn_a, 0, SCTP_PPID_M3UA, beat.b, beat.len);
    sctp_send(&s, &sa, true, tag_b, &ch);
    payload_sctp_sack(&ch, tsn_a);
    sctp_send(&s, &sa, false, tag_a, &ch);
    payload_m3ua_beat(&beat, &s.rng);
    payload_sctp_data(&ch, tsn_a + 1, 1, SCTP_PPID_M3UA, beat.b, beat.len);
    payload_m3ua_beat(&beat, &s.rng);
    payload_sctp_data(&ch, tsn_a + 2, 2, SCTP_PPID_M3UA, beat.b, beat.len);
    sctp_send(&s, &sa, true, tag_b, &ch);
    payload_sctp_sack(&ch, tsn_a + 2);
    sctp_send(&s, &sa, false, tag_a, &ch);
    payload_m3ua_beat(&beat, &s.rng);
    payload_sctp_data(&ch, tsn_b, 0, SCTP_PPID_M3UA, beat.b, beat.len);
    sctp_send(&s, &sa, false, tag_a, &ch);
    payload_sctp_sack(&ch, tsn_b);
    sctp_send(&s, &sa, true, tag_b, &ch);
    payload_sctp_shutdown(&ch, PAYLOAD_SCTP_SHUTDOWN, tsn_b);
    sctp_send(&s, &sa, true, tag_b, &ch);
    payload_sctp_shutdown(&ch, PAYLOAD_SCTP_SHUTDOWN_ACK, 0);
    sctp_send(&s, &sa, false, tag_a, &ch);
    payload_sctp_shutdown(&ch, PAYLOAD_SCTP_SHUTDOWN_DONE, 0);
    sctp_send(&s, &sa, true, tag_b, &ch);
    return sess_finish(&s, out, err, errlen);
}

/* unsupported.pcap: LINKTYPE_BLUETOOTH_HCI_H4 (187), which carries no IP and
 * trapline must refuse.  Two HCI packets (Bluetooth Core 5.3 Vol 4 Part A
 * section 2: a packet indicator, then the HCI packet): the command
 * HCI_Reset (OGF 3, OCF 3: opcode 0x0c03, no parameters) and its Command
 * Complete event (0x0e: one credit, opcode 0x0c03, status 0). */
static int gen_unsupported(const char *out, char *err, size_t errlen)
{
    static const uint8_t cmd[] = { 0x01, 0x03, 0x0c, 0x00 };
    static const uint8_t evt[] = { 0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00 };
    struct sess s;

    if (gen_open(out, WRITER_PCAP, WRITER_LINK_BLUETOOTH_HCI_H4, &s, &link_eth, err,
                 errlen) == NULL)
        return GEN_RC_IO;
    if (s.rc == GEN_OK)
        s.rc = writer_packet(s.w, s.ts_us, cmd, sizeof(cmd), sizeof(cmd));
    sess_wait(&s, MS(102));
    if (s.rc == GEN_OK)
        s.rc = writer_packet(s.w, s.ts_us, evt, sizeof(evt), sizeof(evt));
    return sess_finish(&s, out, err, errlen);
}

/* links.pcapng (from 18:00): the link types of serial lines, Linux NFLOG and
 * Wi-Fi, one interface each, as dumpcap writes a capture on several:
 *   0 LINKTYPE_NFLOG: Signal, logged by an iptables NFLOG rule (group 5,
 *     prefix "trapline");
 *   1 LINKTYPE_PPP (HDLC-like framing): WhatsApp;
 *   2 LINKTYPE_C_HDLC: Apple push;
 *   3 LINKTYPE_IEEE802_11_RADIOTAP: Signal again from a second client, then
 *     a Beacon and a Protected (encrypted) Data frame, which carry no IP;
 *   4 LINKTYPE_ERF (nanosecond stamps): WhatsApp from a third client in
 *     ERF ETH records, as an Endace DAG card writes them. */
static int gen_links(const char *out, char *err, size_t errlen)
{
    struct build_link l = link_of(BUILD_LINK_NFLOG);
    struct sess s;

    l.nflog_group = 5;
    l.nflog_prefix = "trapline";
    struct writer *w = gen_open(out, WRITER_PCAPNG, WRITER_LINK_NFLOG, &s, &l, err, errlen);
    if (w == NULL)
        return GEN_RC_IO;
    int ppp = writer_add_iface(w, WRITER_LINK_PPP, WRITER_SNAPLEN, 6);
    int chdlc = writer_add_iface(w, WRITER_LINK_C_HDLC, WRITER_SNAPLEN, 6);
    int wifi = writer_add_iface(w, WRITER_LINK_IEEE802_11_RADIOTAP, WRITER_SNAPLEN, 6);
    int erf = writer_add_iface(w, WRITER_LINK_ERF, WRITER_SNAPLEN, 9);
    s.ts_us = PCAPGEN_START_US + UINT64_C(28800) * 1000000u;
    svc_visit(&s, SVC_SIGNAL, CLIENT4);
    writer_use_iface(w, ppp);
    s.link.kind = BUILD_LINK_PPP;
    svc_visit(&s, SVC_WHATSAPP, CLIENT4);
    writer_use_iface(w, chdlc);
    s.link.kind = BUILD_LINK_CHDLC;
    svc_visit(&s, SVC_APPLE, CLIENT4);
    writer_use_iface(w, wifi);
    s.link.kind = BUILD_LINK_WIFI;
    svc_visit(&s, SVC_SIGNAL, "10.0.0.11");

    /* A Beacon (type 0, subtype 8) and a Protected QoS Data frame (CCMP
     * header, then ciphertext) behind the same radiotap header. */
    static const uint8_t radiotap[] = { 0, 0, 14, 0, 0x0e, 0, 0, 0, 0, 108, 0x85, 0x09,
                                        0xc0, 0x00 };
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    struct build_buf f;
    for (int i = 0; i < 2; i++) {
        build_reset(&f);
        build_bytes(&f, radiotap, sizeof(radiotap));
        build_u8(&f, i == 0 ? 0x80 : 0x88);
        build_u8(&f, i == 0 ? 0x00 : 0x41); /* Protected | To DS */
        build_le16(&f, 0);
        build_bytes(&f, i == 0 ? bcast : s.link.gw_mac, 6);
        build_bytes(&f, i == 0 ? s.link.gw_mac : s.link.cli_mac, 6);
        build_bytes(&f, s.link.gw_mac, 6);
        build_le16(&f, (uint16_t)((0x100u + (unsigned)i) << 4));
        if (i == 0) {
            build_zero(&f, 8);    /* timestamp */
            build_le16(&f, 100);  /* beacon interval */
            build_le16(&f, 0x0401); /* capabilities: ESS, short slot */
            build_u8(&f, 0);      /* SSID element */
            build_u8(&f, 8);
            build_bytes(&f, "trapline", 8);
        } else {
            build_le16(&f, 0);    /* QoS Control */
            const uint8_t ccmp[8] = { 0x01, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00 };
            build_bytes(&f, ccmp, sizeof(ccmp));
            for (unsigned b = 0; b < 64; b++)
                build_u8(&f, (uint8_t)(b * 37u + 11u)); /* stands for ciphertext */
        }
        if (s.rc == GEN_OK)
            s.rc = writer_packet(s.w, s.ts_us, f.b, f.len, f.len);
        sess_wait(&s, MS(102));
    }
    /* An Endace DAG card's ERF ETH records (nanosecond interface), WhatsApp
     * from a third client. */
    writer_use_iface(w, erf);
    s.link.kind = BUILD_LINK_ERF;
    svc_visit(&s, SVC_WHATSAPP, "10.0.0.12");
    return sess_finish(&s, out, err, errlen);
}

/* ott_ech.pcap and decoys.pcap live in ott.c (signature engine fixtures). */
static int gen_ott_ech(const char *out, char *err, size_t errlen)
{
    return ott_gen_ech(out, PCAPGEN_START_US, err, errlen);
}

static int gen_decoys(const char *out, char *err, size_t errlen)
{
    return ott_gen_decoys(out, PCAPGEN_START_US, err, errlen);
}

static int gen_vendors(const char *out, char *err, size_t errlen)
{
    return ott_gen_vendors(out, PCAPGEN_START_US, err, errlen);
}

/* hostile_names.pcap: see hostile.c. */
static int gen_hostile(const char *out, char *err, size_t errlen)
{
    return hostile_generate(out, &link_eth, PCAPGEN_START_US, err, errlen);
}

/* Carrier SMS captures (pcaps/gen/sms.c), one hour after the others. */
#define SMS_START_US (PCAPGEN_START_US + UINT64_C(3600) * 1000000u)

static int gen_sms_smpp(const char *out, char *err, size_t errlen)
{
    return sms_gen_smpp(out, SMS_START_US, err, errlen);
}

static int gen_sms_sip(const char *out, char *err, size_t errlen)
{
    return sms_gen_sip(out, SMS_START_US, err, errlen);
}

static int gen_sms_map(const char *out, char *err, size_t errlen)
{
    return sms_gen_map(out, SMS_START_US, err, errlen);
}

static int gen_sms_sgd(const char *out, char *err, size_t errlen)
{
    return sms_gen_sgd(out, SMS_START_US, err, errlen);
}

/* multi_if.pcapng (test-only, `pcapgen --extra`): as dumpcap writes a capture
 * on several interfaces: interface 0 Ethernet (snaplen 262144, microseconds,
 * WhatsApp), interface 1 RAW IP (snaplen 128, nanoseconds, Signal), interface
 * 2 Linux cooked SLL (snaplen 96, microseconds, Apple push). */
static int gen_multi_if(const char *out, char *err, size_t errlen)
{
    struct sess s;
    struct writer *w = gen_open(out, WRITER_PCAPNG, WRITER_LINK_EN10MB, &s, &link_eth, err,
                                errlen);

    if (w == NULL)
        return GEN_RC_IO;
    int raw = writer_add_iface(w, WRITER_LINK_RAW, 128, 9);
    int sll = writer_add_iface(w, WRITER_LINK_LINUX_SLL, 96, 6);
    svc_visit(&s, SVC_WHATSAPP, CLIENT4);
    writer_use_iface(w, raw);
    s.link = link_of(BUILD_LINK_RAW);
    svc_visit(&s, SVC_SIGNAL, CLIENT4);
    writer_use_iface(w, sll);
    s.link = link_of(BUILD_LINK_SLL);
    svc_visit(&s, SVC_APPLE, CLIENT4);
    return sess_finish(&s, out, err, errlen);
}

static int gen_sms_m2pa(const char *out, char *err, size_t errlen)
{
    return sms_gen_m2pa(out, SMS_START_US, err, errlen);
}

static int gen_sms_m2ua(const char *out, char *err, size_t errlen)
{
    return sms_gen_m2ua(out, SMS_START_US, err, errlen);
}

static int gen_sms_mtp2_phdr(const char *out, char *err, size_t errlen)
{
    return sms_gen_mtp(out, 139, SMS_START_US, err, errlen);
}

static int gen_sms_mtp2(const char *out, char *err, size_t errlen)
{
    return sms_gen_mtp(out, 140, SMS_START_US, err, errlen);
}

static int gen_sms_mtp3(const char *out, char *err, size_t errlen)
{
    return sms_gen_mtp(out, 141, SMS_START_US, err, errlen);
}

static int gen_sms_legs(const char *out, char *err, size_t errlen)
{
    return sms_gen_legs(out, SMS_START_US, err, errlen);
}

static int gen_sms_sua(const char *out, char *err, size_t errlen)
{
    return sms_gen_sua(out, SMS_START_US, err, errlen);
}

static int gen_sms_sgsap(const char *out, char *err, size_t errlen)
{
    return sms_gen_sgsap(out, SMS_START_US, err, errlen);
}

static int gen_sms_bssap(const char *out, char *err, size_t errlen)
{
    return sms_gen_bssap(out, SMS_START_US, err, errlen);
}

static int gen_sms_ranap(const char *out, char *err, size_t errlen)
{
    return sms_gen_ranap(out, SMS_START_US, err, errlen);
}

static int gen_sms_gan(const char *out, char *err, size_t errlen)
{
    return sms_gen_gan(out, SMS_START_US, err, errlen);
}

static int gen_scope(const char *out, char *err, size_t errlen)
{
    return sms_gen_scope(out, PCAPGEN_START_US, err, errlen);
}

/* mobile_core.pcap: two hours after the start, one after the SMS fixtures
 * (same subscribers), so their OTT periods have no SMS nearby. */
static int gen_mobile_core(const char *out, char *err, size_t errlen)
{
    return mcore_gen(out, PCAPGEN_START_US + UINT64_C(7200) * 1000000u, err, errlen);
}

/* mobile_v6.pcap: three hours after the start, after mobile_core.pcap. */
static int gen_mobile_v6(const char *out, char *err, size_t errlen)
{
    return mcore_v6_gen(out, PCAPGEN_START_US + UINT64_C(10800) * 1000000u, err, errlen);
}

/* s1ap.pcap: at 19:00, after links.pcapng. */
static int gen_s1ap(const char *out, char *err, size_t errlen)
{
    return sms_gen_s1ap(out, PCAPGEN_START_US + UINT64_C(32400) * 1000000u, err, errlen);
}

/* sctp_frag.pcap: at 21:00, after ngap.pcap. */
static int gen_sctp_frag(const char *out, char *err, size_t errlen)
{
    return sms_gen_sctp_frag(out, PCAPGEN_START_US + UINT64_C(39600) * 1000000u, err, errlen);
}

/* s1ap_move.pcap: at 22:00, after sctp_frag.pcap. */
static int gen_s1ap_move(const char *out, char *err, size_t errlen)
{
    return sms_gen_s1ap_move(out, PCAPGEN_START_US + UINT64_C(43200) * 1000000u, err, errlen);
}

/* s1ap_handover.pcap: at 23:00, after s1ap_move.pcap. */
static int gen_s1ap_handover(const char *out, char *err, size_t errlen)
{
    return sms_gen_s1ap_handover(out, PCAPGEN_START_US + UINT64_C(46800) * 1000000u, err,
                                 errlen);
}

/* s1ap_v6.pcap: at 00:00 the next day, after s1ap_handover.pcap. */
static int gen_s1ap_v6(const char *out, char *err, size_t errlen)
{
    return sms_gen_s1ap_v6(out, PCAPGEN_START_US + UINT64_C(50400) * 1000000u, err, errlen);
}

/* ngap.pcap: at 20:00, after s1ap.pcap. */
static int gen_ngap(const char *out, char *err, size_t errlen)
{
    return sms_gen_ngap(out, PCAPGEN_START_US + UINT64_C(36000) * 1000000u, err, errlen);
}

struct gen_file {
    const char *name;
    gen_fn fn;
};

static const struct gen_file files[] = {
    { "ott_tls.pcap", gen_ott_tls },       { "background.pcap", gen_background },
    { "gtpu.pcap", gen_gtpu },             { "vlan.pcapng", gen_vlan },
    { "sll.pcap", gen_sll },               { "sll2.pcap", gen_sll2 },
    { "raw.pcap", gen_raw },               { "null.pcap", gen_null },
    { "truncated.pcap", gen_truncated },   { "sctp.pcap", gen_sctp },
    { "unsupported.pcap", gen_unsupported }, { "ott_ech.pcap", gen_ott_ech },
    { "decoys.pcap", gen_decoys },         { "hostile_names.pcap", gen_hostile },
    { "sms_smpp.pcap", gen_sms_smpp },     { "sms_sip.pcap", gen_sms_sip },
    { "sms_map.pcap", gen_sms_map },       { "sms_sgd.pcap", gen_sms_sgd },
    { "sms_m2pa.pcap", gen_sms_m2pa },     { "sms_m2ua.pcap", gen_sms_m2ua },
    { "sms_sua.pcap", gen_sms_sua },       { "sms_sgsap.pcap", gen_sms_sgsap },
    { "sms_bssap.pcap", gen_sms_bssap },   { "sms_ranap.pcap", gen_sms_ranap },
    { "sms_gan.pcap", gen_sms_gan },     { "scope_two_subs.pcap", gen_scope },
    { "vendors.pcap", gen_vendors },
    { "sms_mtp2_phdr.pcap", gen_sms_mtp2_phdr }, { "sms_mtp2.pcap", gen_sms_mtp2 },
    { "sms_mtp3.pcap", gen_sms_mtp3 },         { "sms_legs.pcap", gen_sms_legs },
    { "mobile_core.pcap", gen_mobile_core }, { "mobile_v6.pcap", gen_mobile_v6 },
    { "overlay.pcap", gen_overlay },     { "pktap.pcap", gen_pktap },
    { "fragments.pcap", gen_fragments }, { "links.pcapng", gen_links },
    { "s1ap.pcap", gen_s1ap },         { "ngap.pcap", gen_ngap },
    { "sctp_frag.pcap", gen_sctp_frag }, { "s1ap_move.pcap", gen_s1ap_move },
    { "s1ap_handover.pcap", gen_s1ap_handover }, { "s1ap_v6.pcap", gen_s1ap_v6 },
};

/* Written only with --extra, for tests: not committed to pcaps/, so the
 * all-pcaps golden does not depend on them. */
static const struct gen_file extra_files[] = {
    { "multi_if.pcapng", gen_multi_if },
};

int main(int argc, char **argv)
{
    char path[PCAPGEN_PATH_MAX];
    char err[PCAPGEN_ERR_MAX];
    const struct gen_file *set = files;
    size_t nset = sizeof(files) / sizeof(files[0]);

    if (argc == 3 && strcmp(argv[1], "--extra") == 0) {
        set = extra_files;
        nset = sizeof(extra_files) / sizeof(extra_files[0]);
        argv++;
        argc--;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s [--extra] OUTDIR\n", argc > 0 ? argv[0] : "pcapgen");
        return 2;
    }
    for (size_t i = 0; i < nset; i++) {
        const struct gen_file *files_i = &set[i];
        int n = snprintf(path, sizeof(path), "%s/%s", argv[1], files_i->name);

        if (n < 0 || (size_t)n >= sizeof(path)) {
            fprintf(stderr, "pcapgen: output path too long\n");
            return 1;
        }
        err[0] = '\0';
        if (files_i->fn(path, err, sizeof(err)) != GEN_OK) {
            fprintf(stderr, "pcapgen: %s\n", err[0] ? err : path);
            return 1;
        }
    }
    return 0;
}
