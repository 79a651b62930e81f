/* fuzz_s1ap.c - S1AP PDUs through the s1ap registry row (tests/fuzz/fuzz_ran.h). */
#include "classify/s1ap.h"

#define FUZZ_RAN_ROW s1ap_proto
#define FUZZ_RAN_PORT S1AP_PORT
#define FUZZ_RAN_PPID S1AP_PPID
#include "tests/fuzz/fuzz_ran.h"
