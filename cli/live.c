/* live.c - `trapline live`: a live capture (tap or SPAN port) -> database.
 *
 * Order of start-up, each step failing before any packet is read:
 *   umask 077 (the database, its -wal and -shm files are 0600)
 *   -> signatures -> pcap_create/activate (+ BPF) -> database + run row
 *   -> drop root to --user -> signal handlers -> capture loop.
 *
 * The loop reads with pcap_next_ex and a read timeout (live.h), so even a
 * quiet link runs housekeeping every LIVE_TIMEOUT_MS:
 *   - the idle sweep.  Timeouts are in packet time (STYLE.md section 0.4);
 *     on a quiet link no packet advances that clock, so a read timeout
 *     advances it by the monotonic time elapsed since the last packet.  This
 *     makes live flow boundaries depend on the wall clock, which is what a
 *     probe wants (an idle flow must end even if the link stays silent);
 *     analyze never does this, so offline output stays deterministic.
 *   - every --commit-interval seconds: interim rows for every live flow
 *     (end_reason 'active', replaced by the final row when the flow ends), a
 *     pcap_stats sample, and a commit, so `trapline report` sees the run.
 *   - SIGHUP: reload the signature files.  They are read and parsed on a
 *     loader thread (with every signal blocked there), never inside the
 *     packet loop: the loop only polls whether the new set is ready and
 *     swaps it in (pipeline_reload) between reads, so SIGTERM is honoured
 *     within one read timeout however long a load takes.  A SIGHUP during
 *     a load starts another once it ends.  A file that does not load keeps
 *     the current set and the reason is logged.  At shutdown an unfinished
 *     load is abandoned (the thread is detached; exit ends it).
 * SIGINT/SIGTERM set the stop flag and break the pcap loop; every flow is
 * then flushed with reason shutdown, the last sample and the run counters
 * are written, and the database is committed and closed.
 */
#include "cli/live.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture/flow_table.h"
#include "capture/live.h"
#include "capture/stop.h"
#include "capture/str.h"
#include "classify/binding.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "report/sink_pg.h"
#include "report/store.h" /* STORE_LOCK_SUFFIX: the files chown_db hands over */

#define LIVE_DEFAULT_COMMIT_S 5
#define LIVE_MAX_COMMIT_S 3600
#define LIVE_DEFAULT_USER "nobody"
/* Path buffer for the database's -wal/-shm names. */
#define LIVE_PATH_MAX 4096

struct live_opts {
    struct live_config cap;
    const char *db, *sigpath, *user;
    unsigned long duration_s, commit_s, max_flows, max_bindings;
    bool user_given, quiet;
    struct run_audit ra;     /* --scope, --operator, --sign-key */
    struct cli_db_opts dbo;
    char home[CLI_HOME_NET_MAX]; /* --home-net, stored with the run */
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: trapline live -i IFACE [-f FILTER] [--snaplen N] [--buffer-mb N]\n"
            "                     [--db PATH] [--duration SECONDS] [--commit-interval SECONDS]\n"
            "                     [--user NAME] [--signatures PATH] [--max-flows N]\n"
            "                     [--max-bindings N] [-q]\n"
            "                     [--scope FILE] [--operator NAME] [--sign-key PEM]\n"
            "  -i IFACE              interface to capture on (a tap or SPAN port)\n"
            "  -f, --bpf FILTER      capture filter (pcap-filter(7)); a bad one is an error\n"
            "  --snaplen N           bytes kept per frame (default %d)\n"
            "  --buffer-mb N         kernel capture buffer in MiB (default %d)\n"
            "  --db PATH             database to write (default " CLI_DEFAULT_DB ")\n"
            CLI_DB_USAGE
            "  --home-net CIDR[,...] the user's own networks (repeatable), stored with the run\n"
            "  --duration SECONDS    stop after this long (default: until SIGINT/SIGTERM)\n"
            "  --commit-interval S   commit and write interim rows every S s (default %d)\n"
            "  --user NAME           when started as root, run as NAME after opening the\n"
            "                        capture and the database (default " LIVE_DEFAULT_USER ")\n"
            "  --signatures PATH     signature file or directory (default %s);\n"
            "                        SIGHUP reloads it\n"
            "  --max-flows N         flow table capacity (default 262144)\n"
            "  --max-bindings N      subscriber sessions (PDN, RADIUS, Diameter, IMS) held\n"
            "                        for attribution (default 4096); when full, ended ones\n"
            "                        leave first, and under --scope the targets' ones last\n"
            "  -q, --quiet           no start and end messages\n" RUN_AUDIT_USAGE,
            LIVE_DEFAULT_SNAPLEN, LIVE_DEFAULT_BUFFER_MB, LIVE_DEFAULT_COMMIT_S,
            cli_default_signatures());
}

/* Parsed help: print nothing more and exit 0. */
#define LIVE_PARSED_HELP (-1)

/* Returns 0 to run, EXIT_USAGE on bad arguments, LIVE_PARSED_HELP after --help. */
static int parse_args(int argc, char **argv, struct live_opts *o)
{
    static const struct option opts[] = {
        RUN_AUDIT_OPTIONS,
        {"interface", required_argument, NULL, 'i'},
        {"bpf", required_argument, NULL, 'f'},
        {"snaplen", required_argument, NULL, 'S'},
        {"buffer-mb", required_argument, NULL, 'B'},
        {"db", required_argument, NULL, 'd'},
        {"duration", required_argument, NULL, 'D'},
        {"commit-interval", required_argument, NULL, 'c'},
        {"user", required_argument, NULL, 'u'},
        {"signatures", required_argument, NULL, 's'},
        {"max-flows", required_argument, NULL, 'm'},
        {"max-bindings", required_argument, NULL, CLI_OPT_MAX_BINDINGS},
        {"quiet", no_argument, NULL, 'q'},
        {"home-net", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {"probe", required_argument, NULL, CLI_OPT_PROBE},
        {"spool", required_argument, NULL, CLI_OPT_SPOOL},
        {"spool-max", required_argument, NULL, CLI_OPT_SPOOL_MAX},
        {NULL, 0, NULL, 0},
    };
    unsigned long v;
    int c;
    memset(o, 0, sizeof *o);
    o->db = CLI_DEFAULT_DB;
    o->user = LIVE_DEFAULT_USER;
    o->commit_s = LIVE_DEFAULT_COMMIT_S;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:f:d:s:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o->cap.iface = optarg; break;
        case 'f': o->cap.bpf = optarg; break;
        case 'S':
            if (!cli_parse_num("live", "--snaplen", optarg, 64, LIVE_DEFAULT_SNAPLEN, &v))
                return EXIT_USAGE;
            o->cap.snaplen = (int)v;
            break;
        case 'B':
            if (!cli_parse_num("live", "--buffer-mb", optarg, 1, LIVE_MAX_BUFFER_MB, &v))
                return EXIT_USAGE;
            o->cap.buffer_mb = (int)v;
            break;
        case 'd': o->db = optarg; break;
        case 'D':
            if (!cli_parse_num("live", "--duration", optarg, 1, 100ul * 365 * 86400,
                               &o->duration_s))
                return EXIT_USAGE;
            break;
        case 'c':
            if (!cli_parse_num("live", "--commit-interval", optarg, 1, LIVE_MAX_COMMIT_S,
                               &o->commit_s))
                return EXIT_USAGE;
            break;
        case 'u': o->user = optarg; o->user_given = true; break;
        case 's': o->sigpath = optarg; break;
        case 'm':
            if (!cli_parse_num("live", "--max-flows", optarg, 1, FLOW_MAX_CAPACITY,
                               &o->max_flows))
                return EXIT_USAGE;
            break;
        case CLI_OPT_MAX_BINDINGS:
            if (!cli_parse_num("live", "--max-bindings", optarg, 1, BINDING_TABLE_LIMIT,
                               &o->max_bindings))
                return EXIT_USAGE;
            break;
        case 'q': o->quiet = true; break;
        case 'H':
            if (!cli_home_net("live", o->home, sizeof o->home, optarg))
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return LIVE_PARSED_HELP;
        case CLI_OPT_PROBE:
        case CLI_OPT_SPOOL:
        case CLI_OPT_SPOOL_MAX:
            if (cli_db_option("live", c, optarg, &o->dbo) < 0)
                return EXIT_USAGE;
            break;
        default:
            if (run_audit_option(&o->ra, c, optarg))
                break;
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "trapline live: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (!o->cap.iface) {
        fprintf(stderr, "trapline live: no interface given (-i IFACE)\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    return 0;
}

static long long mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Gives the database files to uid:gid, so the unprivileged probe owns what
 * it writes (SQLite may recreate -wal/-shm after a checkpoint). */
static int chown_db(const char *db, uid_t uid, gid_t gid, struct err *e)
{
    static const char *const suffix[] = {"", "-wal", "-shm", STORE_LOCK_SUFFIX};
    char path[LIVE_PATH_MAX];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s%s", db, suffix[i]) >= sizeof path)
            return err_set(e, RC_IO, "%s: path too long", db);
        if (chown(path, uid, gid) != 0 && !(errno == ENOENT && i > 0))
            return err_set(e, RC_IO, "chown %s: %s", path, strerror(errno));
    }
    return 0;
}

/* Drops root for good: supplementary groups, then gid, then uid, and checks
 * that root cannot be regained (setuid(0) must fail). */
static int drop_privileges(const char *user, const char *db, struct err *e)
{
    errno = 0;
    struct passwd *pw = getpwnam(user);
    if (!pw)
        return err_set(e, RC_CONFIG, "--user %s: %s", user,
                       errno ? strerror(errno) : "no such user");
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    if (uid == 0)
        return err_set(e, RC_CONFIG, "--user %s: refusing to run as uid 0", user);
    /* A PostgreSQL store has no local file to hand over (the outage spool
     * is created by the unprivileged probe in its working directory). */
    if (!sink_pg_is_url(db) && chown_db(db, uid, gid, e))
        return RC_IO;
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
        return err_set(e, RC_IO, "dropping privileges to %s: %s", user, strerror(errno));
    if (setuid(0) == 0 || getuid() != uid || geteuid() != uid || getgid() != gid ||
        getegid() != gid)
        return err_set(e, RC_IO, "dropping privileges to %s did not stick", user);
    return 0;
}

/* A pcap_stats sample at the wall clock now into cs; false when the capture
 * has none. */
static bool sample(struct live *cap, struct sink_capture_stats *cs, struct err *e)
{
    struct live_stats ls;
    if (live_stats(cap, &ls, e))
        return false;
    *cs = (struct sink_capture_stats){
        .ts_us = cli_wall_us(), .received = ls.received, .dropped = ls.dropped,
        .if_dropped = ls.if_dropped};
    return true;
}

/* One housekeeping period: interim rows, a stats sample, a commit. */
static void checkpoint(struct cli_run *run, struct live *cap, struct sink_capture_stats *cs)
{
    struct err e = {""};
    if (cli_run_fail(run, pipeline_interim(run->pl, &e), &e))
        return;
    if (sample(cap, cs, &e))
        cli_run_capture_stats(run, cs);
    if (!run->failed)
        cli_run_fail(run, sink_commit(run->sink, &e), &e);
}

/* One signature load on the loader thread.  The thread writes result and
 * then done; the packet loop reads result only after seeing done and
 * joining, and the job is heap-allocated so an abandoned (detached) load
 * never writes into a returned stack frame. */
struct reload_job {
    pthread_t th;
    const char *sigpath;     /* borrowed from argv: lives until exit */
    struct sig_set *result;  /* owned by whoever sees done first: loop or thread */
    atomic_int state;        /* RELOAD_RUNNING -> _DONE (thread) or _ABANDONED (loop) */
};

enum { RELOAD_RUNNING = 0, RELOAD_DONE, RELOAD_ABANDONED };

static void *reload_thread(void *arg)
{
    struct reload_job *j = arg;
    /* cli_load_signatures prints why a file is refused. */
    j->result = cli_load_signatures(j->sigpath);
    int running = RELOAD_RUNNING;
    /* One compare-and-swap decides who frees: the loop, or (abandoned) us. */
    if (!atomic_compare_exchange_strong(&j->state, &running, RELOAD_DONE)) {
        sig_set_free(j->result);
        free(j);
    }
    return NULL;
}

/* Starts a load; false (and a message) when the thread cannot start. */
static struct reload_job *reload_start(const char *sigpath)
{
    struct reload_job *j = calloc(1, sizeof *j);
    if (!j) {
        fprintf(stderr, "trapline: SIGHUP: out of memory; keeping the current signature set\n");
        return NULL;
    }
    j->sigpath = sigpath;
    atomic_init(&j->state, RELOAD_RUNNING);
    int rc = stop_thread_create(&j->th, "tl-reload", reload_thread, j);
    if (rc) {
        fprintf(stderr, "trapline: SIGHUP: cannot start the loader: %s; keeping the current"
                        " signature set\n", strerror(rc));
        free(j);
        return NULL;
    }
    return j;
}

/* Swaps in the set of a finished load; frees the job. */
static void reload_finish(struct reload_job *j, struct pipeline *pl, bool quiet,
                          struct run_audit *ra)
{
    pthread_join(j->th, NULL);
    struct sig_set *s = j->result;
    free(j);
    if (!s) {
        fprintf(stderr, "trapline: SIGHUP: keeping the current signature set\n");
        return;
    }
    struct err e = {""};
    char sha[sizeof s->sha256_hex];
    memcpy(sha, s->sha256_hex, sizeof sha);
    if (pipeline_reload(pl, s, &e)) {
        fprintf(stderr, "trapline: SIGHUP: %s; keeping the current signature set\n", e.msg);
        return;
    }
    if (!quiet)
        fprintf(stderr, "trapline: SIGHUP: signatures reloaded (sha256 %s)\n", sha);
    /* A configuration change, 18 U.S.C. 3123(a)(3): into the audit log. */
    if (run_audit_reload(ra, sha, &e))
        fprintf(stderr, "trapline: audit: %s\n", e.msg);
}

/* Leaves an unfinished load to end on its own (shutdown must not wait). */
static void reload_abandon(struct reload_job *j)
{
    if (!j)
        return;
    int running = RELOAD_RUNNING;
    if (atomic_compare_exchange_strong(&j->state, &running, RELOAD_ABANDONED)) {
        pthread_detach(j->th); /* the thread frees the job when it ends */
        return;
    }
    pthread_join(j->th, NULL); /* it finished: the thread did not free */
    sig_set_free(j->result);
    free(j);
}

/* The capture loop: packets, housekeeping on read timeouts, reloads, and a
 * checkpoint every commit interval, until a stop, the duration or an error.
 * Fills the interface's input row and the latest capture sample. */
static void capture(struct cli_run *run, struct live *cap, const struct live_opts *o,
                    struct source_input *in, struct sink_capture_stats *cs)
{
    struct err e = {""};
    struct source_packet pkt;
    uint64_t pkt_clock = 0;
    long long t_start = mono_us(), t_pkt = t_start, t_commit = t_start;
    long long commit_us = (long long)o->commit_s * 1000000LL;
    struct reload_job *job = NULL;
    bool reload_again = false;
    while (!stop_requested()) {
        int rc = live_next(cap, &pkt, &e);
        long long now = mono_us();
        if (rc == 1) {
            if (!in->packets++)
                in->first_ts_us = pkt.ts_us;
            /* Kernel timestamps may step back (NTP); the table's clock never does. */
            if (pkt.ts_us > pkt_clock)
                pkt_clock = pkt.ts_us;
            t_pkt = now;
            if (cli_run_fail(run, pipeline_packet(run->pl, &pkt, &e), &e))
                break;
        } else if (rc == 0) {
            if (pkt_clock)
                pipeline_tick(run->pl, pkt_clock + (uint64_t)(now - t_pkt));
        } else if (rc == LIVE_BREAK) {
            break;
        } else {
            fprintf(stderr, "trapline: %s\n", e.msg);
            in->status = INPUT_PARTIAL;
            snprintf(in->detail, sizeof in->detail, "capture error: %s", e.msg);
            break;
        }
        /* SIGHUP: the set loads on a loader thread and is swapped in here
         * when ready, so packets and SIGTERM never wait for a load. */
        if (stop_take_reload()) {
            if (job)
                reload_again = true;
            else
                job = reload_start(o->sigpath);
        }
        if (job && atomic_load(&job->state) == RELOAD_DONE) {
            reload_finish(job, run->pl, o->quiet, run->audit);
            job = reload_again ? reload_start(o->sigpath) : NULL;
            reload_again = false;
        }
        if (now - t_commit >= commit_us) {
            t_commit = now;
            checkpoint(run, cap, cs);
            if (run->failed)
                break;
        }
        if (o->duration_s && now - t_start >= (long long)o->duration_s * 1000000LL)
            break;
    }
    in->last_ts_us = pkt_clock;
    reload_abandon(job);
}

int cmd_live(int argc, char **argv)
{
    struct live_opts o;
    int ret = parse_args(argc, argv, &o);
    if (ret)
        return ret == LIVE_PARSED_HELP ? EXIT_COMPLETE : EXIT_USAGE;
    ret = EXIT_FAILURE_;
    umask(077);

    struct err e = {""};
    struct sig_set *sigs = NULL;
    struct live *cap = NULL;
    struct cli_run run = {.audit = &o.ra};
    run.home_net = o.home;
    char warn[LIVE_WARN_MAX];
    char iface[LIVE_PATH_MAX];

    if (!run_audit_prepare(&o.ra))
        goto out;
    sigs = cli_load_signatures(o.sigpath);
    if (!sigs)
        goto out;
    const struct pipeline_config pc = {
        .sigs = sigs, .flow_capacity = (uint32_t)o.max_flows,
        .binding_capacity = (uint32_t)o.max_bindings, .suci_keys = o.ra.suci,
        .scope = o.ra.filter};
    if (!cli_run_pipeline(&run, &pc))
        goto out;
    cap = live_open(&o.cap, warn, &e);
    if (!cap) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        goto out;
    }
    if (warn[0])
        fprintf(stderr, "trapline: warning: %s\n", warn);
    o.dbo.quiet = o.quiet;
    run.dbo = o.dbo;
    if (!cli_run_open(&run, o.db, "live", argc + 1, argv - 1, sigs))
        goto out;
    {
        /* The interface is the run's input, recorded 'reading' at once, so a
         * killed run still names it. */
        str_copy(iface, sizeof iface, o.cap.iface);
        struct source_input in0 = {.path = iface, .linktype = live_linktype(cap),
                                   .status = INPUT_PENDING};
        if (!cli_run_open_input(&run, 0, &in0))
            goto out;
    }
    if (geteuid() == 0) {
        if (drop_privileges(o.user, o.db, &e)) {
            fprintf(stderr, "trapline: %s\n", e.msg);
            goto out;
        }
    } else if (o.user_given && !o.quiet) {
        fprintf(stderr, "trapline: not started as root; --user %s ignored\n", o.user);
    }
    if (stop_install()) {
        fprintf(stderr, "trapline: cannot install signal handlers\n");
        goto out;
    }
    stop_set_pcap(live_handle(cap));
    if (!o.quiet)
        fprintf(stderr, "trapline: run %lld: capturing on %s -> %s\n", (long long)run.run_id,
                o.cap.iface, run.db_label);

    /* The input row names the interface; source_input.path is not const. */
    str_copy(iface, sizeof iface, o.cap.iface);
    struct source_input in = {.path = iface, .linktype = live_linktype(cap), .status = INPUT_OK};
    struct sink_capture_stats cs = {0, 0, 0, 0};
    capture(&run, cap, &o, &in, &cs);
    stop_set_pcap(NULL);
    if (sample(cap, &cs, &e))
        cli_run_capture_stats(&run, &cs);
    cli_run_flush(&run);
    struct pipeline_stats ps;
    pipeline_get_stats(run.pl, &ps);
    cli_run_stat(&run, "signature_reloads", ps.signature_reloads);
    cli_run_stat(&run, "capture_received", cs.received);
    cli_run_stat(&run, "capture_dropped", cs.dropped);
    cli_run_stat(&run, "capture_if_dropped", cs.if_dropped);
    cli_run_input(&run, 0, &in);
    bool cut = in.status != INPUT_OK;
    ret = cli_run_end(&run, cut);
    if (!o.quiet) {
        fprintf(stderr,
                "trapline: run %lld %s: %llu packets, %llu flows, %llu received, %llu dropped,"
                " %llu dropped by the interface -> %s\n",
                (long long)run.run_id, run.status, (unsigned long long)ps.packets,
                (unsigned long long)ps.flows_written, (unsigned long long)cs.received,
                (unsigned long long)cs.dropped, (unsigned long long)cs.if_dropped, run.db_label);
    }
out:
    cli_run_close(&run);
    live_free(cap);
    sig_set_free(sigs);
    return ret;
}
