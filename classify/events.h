/* events.h - records the classifier emits while flows are running.
 *
 * Value types only (no pointers into packets): an SMS transfer leg decoded
 * from carrier signalling, and an inferred activity burst inside an OTT
 * messaging flow.  Neither can hold message content: content_present is a
 * flag, burst sizes are packet and byte counts.
 */
#ifndef PR_CLASSIFY_EVENTS_H
#define PR_CLASSIFY_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#define SMS_ADDR_MAX 64    /* longest address kept: E.164 is 15 digits, alphanumeric 11 chars,
                              SIP URIs are cut here and flagged */
#define SMS_OP_MAX 24
#define SMS_STATUS_MAX 32
#define SMS_DETAIL_MAX 96

struct sms_event {
    uint64_t flow_id;
    uint64_t ts_us;
    char protocol[8];               /* "smpp", "sip", "map", "sgd" */
    char operation[SMS_OP_MAX];     /* "submit", "deliver", "forward", "receipt", ... */
    char direction[8];              /* "mo", "mt", or "" */
    char originator[SMS_ADDR_MAX];
    int originator_ton, originator_npi; /* -1 = absent */
    char recipient[SMS_ADDR_MAX];
    int recipient_ton, recipient_npi;
    bool originator_cut, recipient_cut; /* the address did not fit and was cut */
    char smsc[SMS_ADDR_MAX];
    char imsi[20];
    int64_t msg_ref;                /* -1 = absent */
    int concat_ref, concat_part, concat_total; /* -1 = absent */
    char status[SMS_STATUS_MAX];    /* "" = no response seen */
    bool content_present;           /* a message body existed (never stored) */
    char detail[SMS_DETAIL_MAX];    /* protocol-specific metadata, e.g. system_id */
    int64_t tp_scts;                /* TP-SCTS of an SMS-DELIVER, its 7 octets big-endian;
                                       -1 = absent.  Only groups legs (classify/sms_msg.h) */
    int64_t tp_shape;               /* TP-PID << 16 | TP-DCS << 8 | TP-UDL of a SUBMIT/DELIVER
                                       (the form of the TPDU, not its text); -1 = absent.
                                       Only groups legs */
    uint64_t message_id;            /* the SMS this leg belongs to (sms_msg.h); 0 = not grouped */
};

struct ott_event {
    uint64_t flow_id;
    uint64_t ts_us, end_ts_us;
    char direction[8];              /* "c2s", "s2c" or "both" */
    uint64_t packets, bytes;
};

struct sub_binding; /* classify/binding.h */

typedef void (*sms_event_fn)(const struct sms_event *ev, void *user);
typedef void (*binding_event_fn)(const struct sub_binding *b, void *user);
typedef void (*ott_event_fn)(const struct ott_event *ev, void *user);

struct classify_events {
    sms_event_fn sms;               /* may be NULL */
    ott_event_fn ott;               /* may be NULL */
    binding_event_fn binding;       /* may be NULL: binding evidence (its op says open /
                                       update / close; flow_id and TEID owners filled) */
    void *user;
};

#endif
