/* verify.h - `trapline verify` (see verify.c). */
#ifndef PR_CLI_VERIFY_H
#define PR_CLI_VERIFY_H

/* Exit code of verify when a check failed (0, 1, 2 as for every command). */
#define EXIT_VERIFY_FAILED 4

/* trapline verify --db DB [--pubkey PEM] [--operator NAME] [INPUT...] */
int cmd_verify(int argc, char **argv);

#endif
