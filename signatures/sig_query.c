/* sig_query.c - queries on a loaded signature set (see sig_query.h). */
#include "signatures/sig_query.h"

#include <string.h>

int sig_find_service(const struct sig_set *s, const char *name)
{
    for (size_t i = 0; i < s->nservices; i++)
        if (strcmp(s->services[i].name, name) == 0)
            return (int)i;
    return -1;
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
