/* sip_reg.h - SIP REGISTER and its 2xx for IMS subscriber attribution
 * (metadata only).
 *
 * Specs: RFC 3261 section 10 (registrations: To = address-of-record,
 * Contact = where the UE is reachable, Expires / contact "expires"
 * parameter, 0 = de-register), 20.10 Contact, 20.19 Expires; RFC 3966 (tel:
 * URIs); 3GPP TS 24.229 section 5.1.1 (the IMS public user identity in To).
 *
 *   REGISTER sip:ims.example SIP/2.0            SIP/2.0 200 OK
 *   To: <tel:+15551230001>                      CSeq: 7 REGISTER
 *   Contact: <sip:u@10.45.0.2:5060>;expires=600 Contact: <sip:u@10.45.0.2:5060>;expires=600
 *   CSeq: 7 REGISTER
 *
 * Only header lines are read; a body is never looked at.
 */
#ifndef PR_CLASSIFY_SIP_REG_H
#define PR_CLASSIFY_SIP_REG_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/tgpp.h"

struct sip_reg_msg {
    bool request;                 /* a REGISTER request (else a response to one) */
    int status;                   /* response status code; 0 for requests */
    uint64_t call_key;            /* hash of Call-ID */
    uint32_t cseq;
    char impu[TGPP_USER_MAX];     /* To URI: the public identity being registered */
    bool impu_cut;
    char msisdn[TGPP_MSISDN_MAX]; /* digits of a tel: or user=phone identity */
    bool has_v4, has_v6;
    uint8_t v4[4], v6[16];        /* host of the first Contact when it is an IP literal */
    int64_t expires;              /* contact expires param, else Expires header; -1 absent */
};

/* Decodes the SIP message at c (untrusted, borrowed; one UDP datagram or a
 * whole message).  Returns PARSE_OK with *out filled for a REGISTER or a
 * final response whose CSeq method is REGISTER; PARSE_INVALID for anything
 * else (other methods, provisional responses, not SIP); PARSE_TRUNCATED
 * when the headers do not end. */
enum parse_rc sip_reg_parse(struct cursor *c, struct sip_reg_msg *out);

#endif
