/* test_ran_dir.c - the RAN rows' UE directory (classify/ran_dir.h) against
 * a model that keeps every key in filing order: what is filed is found with
 * its latest value, a replaced value keeps its entry's place, the directory
 * never holds more than RAN_DIR_MAX entries, and past that the entry filed
 * longest ago is the one that leaves, counted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "classify/ran_dir.h"
#include "tests/harness.h"

struct val {
    uint64_t key;
    uint32_t version;
    char pad[37]; /* a value size that is not a multiple of 8 */
};

TEST(file_find_replace)
{
    struct ran_dir *d = ran_dir_new(sizeof(struct val));
    CHECK(d != NULL);
    CHECK(ran_dir_get(d, 1) == NULL);
    uint64_t ev = 0;
    struct val v = {7, 1, "seven"};
    CHECK(ran_dir_put(d, 7, &v, &ev));
    const struct val *g = ran_dir_get(d, 7);
    CHECK(g && g->version == 1 && strcmp(g->pad, "seven") == 0);
    v.version = 2;
    CHECK(ran_dir_put(d, 7, &v, &ev));
    g = ran_dir_get(d, 7);
    CHECK(g && g->version == 2);
    CHECK_EQ_INT(ran_dir_count(d), 1);
    CHECK(ran_dir_get(d, 8) == NULL);
    CHECK(ran_dir_get(d, 0) == NULL);
    CHECK_EQ_INT(ev, 0);
    ran_dir_free(d);
    ran_dir_free(NULL);
    CHECK(ran_dir_get(NULL, 7) == NULL);
}

/* Keys drawn from a small space (many replacements) and from a large one
 * (many evictions), with colliding hashes likely: every lookup agrees with
 * the model after every step. */
TEST(model)
{
    enum { STEPS = 60000, SPACE_SMALL = 300, SPACE_LARGE = 3 * RAN_DIR_MAX };
    uint64_t *order = malloc(sizeof *order * STEPS); /* keys in filing order */
    uint32_t *ver = calloc(SPACE_LARGE + 1, sizeof *ver);
    size_t *filed_at = calloc(SPACE_LARGE + 1, sizeof *filed_at); /* index in order + 1 */
    CHECK(order && ver && filed_at);
    struct ran_dir *d = ran_dir_new(sizeof(struct val));
    uint64_t x = 88172645463325252ull, ev = 0, ev_model = 0;
    size_t nord = 0, oldest = 0, live = 0;
    for (int step = 0; step < STEPS; step++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bool small = step < STEPS / 3 || (x & 1);
        uint64_t key = 1 + (x >> 8) % (small ? SPACE_SMALL : SPACE_LARGE);
        ver[key]++;
        struct val v = {key, ver[key], ""};
        if (!filed_at[key]) { /* new: file it, and drop the oldest when full */
            if (live == RAN_DIR_MAX) {
                while (filed_at[order[oldest]] != oldest + 1)
                    oldest++; /* an entry dropped earlier */
                filed_at[order[oldest++]] = 0;
                live--;
                ev_model++;
            }
            order[nord] = key;
            filed_at[key] = ++nord;
            live++;
        }
        CHECK(ran_dir_put(d, key, &v, &ev));
        /* a few lookups: the key just filed, and random others */
        for (int k = 0; k < 3; k++) {
            uint64_t q = k == 0 ? key : 1 + (x >> (8 + 7 * k)) % SPACE_LARGE;
            const struct val *g = ran_dir_get(d, q);
            bool want = filed_at[q] != 0;
            if ((g != NULL) != want || (g && (g->key != q || g->version != ver[q]))) {
                CHECK(!"the directory agrees with the model");
                goto out;
            }
        }
    }
    CHECK_EQ_INT(ran_dir_count(d), live);
    CHECK(ran_dir_count(d) <= RAN_DIR_MAX);
    CHECK_EQ_INT(ev, ev_model);
    CHECK(ev > 0);
out:
    ran_dir_free(d);
    free(order);
    free(ver);
    free(filed_at);
}

TEST(apns)
{
    static struct ran_apns a;
    memset(&a, 0, sizeof a);
    bool full = false;
    CHECK_EQ_INT(ran_apns_id(&a, "", &full), 0);
    CHECK_EQ_INT(ran_apns_id(NULL, "internet", &full), 0);
    CHECK_STR(ran_apns_name(&a, 0), "");
    /* each name once, in the order first seen */
    CHECK_EQ_INT(ran_apns_id(&a, "internet", &full), 1);
    CHECK_EQ_INT(ran_apns_id(&a, "ims", &full), 2);
    CHECK_EQ_INT(ran_apns_id(&a, "internet", &full), 1);
    CHECK_STR(ran_apns_name(&a, 2), "ims");
    CHECK_STR(ran_apns_name(&a, 3), ""); /* not held */
    CHECK_STR(ran_apns_name(NULL, 1), "");
    /* a 100-octet APN (TS 23.003 9.1) round-trips */
    char longest[TGPP_APN_MAX];
    memset(longest, 'a', TGPP_APN_MAX - 1);
    longest[TGPP_APN_MAX - 1] = '\0';
    uint8_t id = ran_apns_id(&a, longest, &full);
    CHECK_EQ_INT(id, 3);
    CHECK_STR(ran_apns_name(&a, id), longest);
    /* up to RAN_DIR_APNS names; then 0 and full, the others still held */
    char name[16];
    for (unsigned i = 3; i < RAN_DIR_APNS; i++) {
        snprintf(name, sizeof name, "apn%u", i);
        CHECK_EQ_INT(ran_apns_id(&a, name, &full), i + 1);
    }
    CHECK(!full);
    CHECK_EQ_INT(ran_apns_id(&a, "one.too.many", &full), 0);
    CHECK(full);
    full = false;
    CHECK_EQ_INT(ran_apns_id(&a, "ims", &full), 2);
    CHECK(!full);
    snprintf(name, sizeof name, "apn%u", RAN_DIR_APNS - 1);
    CHECK_STR(ran_apns_name(&a, RAN_DIR_APNS), name);
}

int main(void)
{
    RUN(file_find_replace);
    RUN(model);
    RUN(apns);
    return harness_done();
}
