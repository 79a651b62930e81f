/* version.h - trapline's version. */
#ifndef PR_CLI_VERSION_H
#define PR_CLI_VERSION_H

#define TRAPLINE_VERSION "0.1.0"

#endif
