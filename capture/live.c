/* live.c - live libpcap capture source (see live.h).
 *
 * Follows the libpcap loop rules of STYLE.md section 2: pcap_create ->
 * options -> pcap_activate (warnings > 0 are logged by the caller), link
 * type checked against the decoders, pcap_next_ex with its four outcomes.
 */
#include "capture/live.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"

struct live {
    pcap_t *p;
    int fd;                 /* pcap_get_selectable_fd, polled when idle */
    int linktype;
    unsigned raw_recv, raw_drop, raw_ifdrop; /* last pcap_stats values (32-bit) */
    struct live_stats total;
};

static const char *nonempty(const char *s, const char *fallback)
{
    return s && *s ? s : fallback;
}

/* pcap_activate's status with pcap_geterr's detail, when it adds anything. */
static const char *status_text(pcap_t *p, int rc)
{
    const char *detail = pcap_geterr(p);
    return detail && *detail ? detail : pcap_statustostr(rc);
}

struct live *live_open(const struct live_config *cfg, char warn[LIVE_WARN_MAX], struct err *e)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    struct bpf_program prog;
    bool have_prog = false;
    warn[0] = '\0';
    struct live *l = calloc(1, sizeof *l);
    if (!l) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    l->p = pcap_create(cfg->iface, ebuf);
    if (!l->p) {
        err_set(e, RC_PCAP, "%s: %s", cfg->iface, nonempty(ebuf, "cannot create capture"));
        goto fail;
    }
    int snaplen = cfg->snaplen > 0 ? cfg->snaplen : LIVE_DEFAULT_SNAPLEN;
    int mb = cfg->buffer_mb > 0 ? cfg->buffer_mb : LIVE_DEFAULT_BUFFER_MB;
    if (pcap_set_snaplen(l->p, snaplen) != 0 || pcap_set_promisc(l->p, !cfg->no_promisc) != 0 ||
        pcap_set_timeout(l->p, LIVE_TIMEOUT_MS) != 0 ||
        pcap_set_buffer_size(l->p, mb * 1024 * 1024) != 0) {
        err_set(e, RC_PCAP, "%s: cannot set capture options: %s", cfg->iface,
                pcap_geterr(l->p));
        goto fail;
    }
    int rc = pcap_activate(l->p);
    if (rc < 0) {
        /* pcap_statustostr names the class; pcap_geterr has the detail
         * (for PCAP_ERROR_PERM_DENIED, PCAP_ERROR_NO_SUCH_DEVICE, ...). */
        err_set(e, RC_PCAP, "%s: %s", cfg->iface, status_text(l->p, rc));
        goto fail;
    }
    if (rc > 0) {
        snprintf(warn, LIVE_WARN_MAX, "%s: %s", cfg->iface, status_text(l->p, rc));
    }
    l->linktype = pcap_datalink(l->p);
    if (!decode_linktype_supported(l->linktype)) {
        const char *name = pcap_datalink_val_to_name(l->linktype);
        err_set(e, RC_PCAP, "%s: link type %d (%s) has no decoder", cfg->iface, l->linktype,
                name ? name : "unknown");
        goto fail;
    }
    if (cfg->bpf && *cfg->bpf) {
        /* PCAP_NETMASK_UNKNOWN: only "ip broadcast" needs the netmask, and a
         * tap port usually has no address at all. */
        if (pcap_compile(l->p, &prog, cfg->bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            err_set(e, RC_CONFIG, "bad BPF filter '%s': %s", cfg->bpf, pcap_geterr(l->p));
            goto fail;
        }
        have_prog = true;
        if (pcap_setfilter(l->p, &prog) != 0) {
            err_set(e, RC_PCAP, "%s: cannot install the BPF filter: %s", cfg->iface,
                    pcap_geterr(l->p));
            goto fail;
        }
        pcap_freecode(&prog);
        have_prog = false;
    }
    /* Non-blocking reads plus our own poll(): with TPACKET_V3 libpcap leaves
     * the read timeout to the kernel's block-retire timer, which never fires
     * on an empty block, so a blocking pcap_next_ex would sleep for as long
     * as the link is quiet and no housekeeping would run. */
    l->fd = pcap_get_selectable_fd(l->p);
    if (l->fd < 0 || pcap_setnonblock(l->p, 1, ebuf) != 0) {
        err_set(e, RC_PCAP, "%s: cannot make the capture non-blocking: %s", cfg->iface,
                nonempty(ebuf, "no selectable descriptor"));
        goto fail;
    }
    return l;
fail:
    if (have_prog)
        pcap_freecode(&prog);
    live_free(l);
    return NULL;
}

int live_next(struct live *l, struct source_packet *out, struct err *e)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc = pcap_next_ex(l->p, &h, &data);
    switch (rc) {
    case 1:
        out->ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
        out->caplen = h->caplen;
        out->wirelen = h->len;
        out->data = data;
        out->linktype = l->linktype;
        out->input = 0;
        out->frame = 0; /* no provenance: a live capture cannot be re-read */
        out->ifid = 0;
        return 1;
    case 0: {
        /* Nothing ready: wait up to the timeout.  A stop signal interrupts
         * poll() (no SA_RESTART); one that lands just before it delays the
         * stop by at most LIVE_TIMEOUT_MS. */
        struct pollfd pfd = {.fd = l->fd, .events = POLLIN};
        if (poll(&pfd, 1, LIVE_TIMEOUT_MS) < 0 && errno != EINTR)
            return err_set(e, RC_PCAP, "capture: poll: %s", strerror(errno));
        return 0;
    }
    case PCAP_ERROR_BREAK:
        return LIVE_BREAK;
    default:
        return err_set(e, RC_PCAP, "capture: %s", pcap_geterr(l->p));
    }
}

/* Adds the advance of a 32-bit counter since the last sample (mod 2^32). */
static void advance(uint64_t *total, unsigned *last, unsigned now)
{
    *total += (uint32_t)(now - *last);
    *last = now;
}

int live_stats(struct live *l, struct live_stats *out, struct err *e)
{
    struct pcap_stat ps;
    if (pcap_stats(l->p, &ps) != 0)
        return err_set(e, RC_PCAP, "pcap_stats: %s", pcap_geterr(l->p));
    advance(&l->total.received, &l->raw_recv, ps.ps_recv);
    advance(&l->total.dropped, &l->raw_drop, ps.ps_drop);
    advance(&l->total.if_dropped, &l->raw_ifdrop, ps.ps_ifdrop);
    *out = l->total;
    return 0;
}

struct pcap *live_handle(struct live *l) { return l->p; }

int live_linktype(const struct live *l) { return l->linktype; }

void live_free(struct live *l)
{
    if (!l)
        return;
    if (l->p)
        pcap_close(l->p);
    free(l);
}
