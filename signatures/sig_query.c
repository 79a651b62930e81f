/* sig_query.c - queries on a loaded signature set (see sig_query.h). */
#include "signatures/sig_query.h"

#include <stdio.h>
#include <string.h>

int sig_find_service(const struct sig_set *s, const char *name)
{
    for (size_t i = 0; i < s->nservices; i++)
        if (strcmp(s->services[i].name, name) == 0)
            return (int)i;
    return -1;
}

void sig_rule_id(const struct sig_set *s, int rule, char out[SIG_RULE_ID_MAX])
{
    out[0] = '\0';
    if (rule < 0 || (size_t)rule >= s->nrules)
        return;
    const struct sig_where *w = &s->rules[rule].where;
    const char *base = strrchr(w->file, '/');
    base = base ? base + 1 : w->file;
    snprintf(out, SIG_RULE_ID_MAX, "%.40s:%u:%u", base, w->line, w->col);
}

bool sig_rule_port_ok(const struct sig_rule *r, uint16_t p)
{
    if (r->nports == 0)
        return true;
    for (unsigned i = 0; i < r->nports; i++)
        if (r->ports[i] == p)
            return true;
    return false;
}
