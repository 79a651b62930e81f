/* verify.h - `trapline verify` and `trapline scope check` (see verify.c). */
#ifndef PR_CLI_VERIFY_H
#define PR_CLI_VERIFY_H

/* Exit code of verify when a check failed (0, 1, 2 as for every command). */
#define EXIT_VERIFY_FAILED 4

/* trapline verify --db DB [--pubkey PEM] [--operator NAME] [INPUT...] */
int cmd_verify(int argc, char **argv);

/* trapline scope check FILE... */
int cmd_scope(int argc, char **argv);

#endif
