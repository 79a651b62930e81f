/* fuzz_ngap.c - NGAP PDUs through the ngap registry row (tests/fuzz/fuzz_ran.h). */
#include "classify/ngap.h"

#define FUZZ_RAN_ROW ngap_proto
#define FUZZ_RAN_PORT NGAP_PORT
#define FUZZ_RAN_PPID NGAP_PPID
#include "tests/fuzz/fuzz_ran.h"
