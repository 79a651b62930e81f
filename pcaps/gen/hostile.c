/* hostile.c - pcaps/hostile_names.pcap (see hostile.h).
 *
 * Client 10.66.0.66 does, 500 ms apart:
 *   1. DNS A queries (RFC 1035 §4.1.2) for names whose labels carry markup,
 *      quotes, an ESC byte, invalid UTF-8 (0xC3 0x28, 0xFF) and "=cmd|";
 *   2. a TLS 1.3 flow to the Signal relay 13.248.212.111:443 whose SNI
 *      (RFC 6066 §3) is "<script>document.title='PWNED'</script>";
 *   3. a TLS flow to 157.240.0.53:443 with SNI "</svg><img src=x onerror=...>";
 *   4. an HTTP/1.1 GET (RFC 9112 §3.2) whose Host is "=cmd|' /C calc'!A0".
 * Each hostile string stays within 63 bytes per label (RFC 1035 §2.3.4).
 * The values a decoder accepts are what the report must escape.
 */
#include "hostile.h"

#include "payload.h"
#include "sess.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

#define HOSTILE_CLIENT "10.66.0.66"
#define HOSTILE_RESOLVER "10.0.0.1"
#define HOSTILE_WEB "93.184.216.34"
#define HOSTILE_GAP_US 500000u
#define HOSTILE_RTT_US 15000u

static const char *const dns_names[] = {
    "<script>document.title='PWNED'</script>.example",
    "x\"'onmouseover=alert(1).example",
    "esc\x1b[31mred\x07.example",
    "bad\xc3\x28utf8\xff.example",
    "=cmd|' /C calc'!A0.example",
    "</svg><b>svg</b>.example",
};

static void http_get(struct sess *s, const char *host)
{
    struct build_addr c = build_addr(HOSTILE_CLIENT), w = build_addr(HOSTILE_WEB);
    struct build_tcp_conn conn;
    struct build_buf msg;

    build_tcp_conn_init(&conn, &c, 51666, &w, 80, 0x484f5354u, 0x1e55a11du);
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_SYN, NULL);
    sess_wait(s, HOSTILE_RTT_US);
    sess_tcp(s, &conn, BUILD_S2C, BUILD_TCP_SYN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_ACK, NULL);
    build_reset(&msg);
    build_str(&msg, "GET / HTTP/1.1\r\nHost: ");
    build_str(&msg, host);
    build_str(&msg, "\r\nUser-Agent: <script>ua</script>\r\n\r\n");
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_wait(s, HOSTILE_RTT_US);
    build_reset(&msg);
    build_str(&msg, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    sess_tcp(s, &conn, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_tcp(s, &conn, BUILD_C2S, BUILD_TCP_ACK, NULL);
    sess_tls_close(s, &conn, HOSTILE_RTT_US);
}

int hostile_generate(const char *out, const struct build_link *l, uint64_t start_us, char *err,
                     size_t errlen)
{
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);
    struct sess s;

    if (w == NULL)
        return GEN_RC_IO;
    sess_init(&s, w, l, start_us);
    for (size_t i = 0; i < sizeof(dns_names) / sizeof(dns_names[0]); i++) {
        sess_dns(&s, HOSTILE_CLIENT, HOSTILE_RESOLVER, (uint16_t)(41000 + i),
                 (uint16_t)(0x6600 + i), dns_names[i], PAYLOAD_DNS_A, "192.0.2.66",
                 HOSTILE_RTT_US);
        sess_wait(&s, HOSTILE_GAP_US);
    }
    const struct sess_tls tls[] = {
        { "<script>document.title='PWNED'</script>", "h2", HOSTILE_CLIENT, "13.248.212.111",
          51601, 443, HOSTILE_RTT_US, 0x686f7331u, 2, { 300000u, 1200000u } },
        { "</svg><img src=x onerror=\"document.title='PWNED'\">", "h2", HOSTILE_CLIENT,
          "157.240.0.53", 51602, 443, HOSTILE_RTT_US, 0x686f7332u, 2, { 250000u, 900000u } },
    };
    for (size_t i = 0; i < sizeof(tls) / sizeof(tls[0]); i++) {
        sess_tls_flow(&s, &tls[i]);
        sess_wait(&s, HOSTILE_GAP_US);
    }
    http_get(&s, "=cmd|' /C calc'!A0");
    return sess_finish(&s, out, err, errlen);
}
