/* sig.h - a loaded, validated, immutable signature set.
 *
 * The YAML files (schema in signatures/README.md) are checked once at load
 * time; the classifier only reads the compiled result.
 */
#ifndef PR_SIGNATURES_SIG_H
#define PR_SIGNATURES_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

#define SIG_SCHEMA_VERSION 1
#define SIG_NAME_MAX 64
#define SIG_SOURCE_MAX 256
#define SIG_MAX_SERVICES 1024
#define SIG_MAX_RULES 65536
#define SIG_MAX_FILES 256
#define SIG_MAX_FILE_BYTES (4u << 20)

enum sig_class {
    SIG_CLASS_OTHER = 0,
    SIG_CLASS_OTT_MESSAGING,
    SIG_CLASS_CARRIER_SMS,
    SIG_CLASS_PUSH,
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
    struct sig_where where;
};

/* Rule kinds; issue-level features add kinds here. */
enum sig_rule_kind {
    SIG_RULE_NDPI = 0, /* an nDPI protocol name */
};

struct sig_rule {
    enum sig_rule_kind kind;
    uint16_t service;          /* index into services */
    char ndpi[SIG_NAME_MAX];   /* SIG_RULE_NDPI: protocol name as nDPI 4.2 spells it */
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

void sig_set_free(struct sig_set *s);

const char *sig_class_name(enum sig_class c);

/* Finds a service by exact name; -1 when absent. */
int sig_find_service(const struct sig_set *s, const char *name);

#endif
