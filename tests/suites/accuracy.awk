# accuracy.awk - joins truth flows, trapline flows and ndpiReader 4.2 flows of one
# capture and prints per-flow verdict lines (tests/suites/accuracy.sh sums them).
#
# Inputs (tab-separated unless noted), in this order:
#   truth  ../shared/captures/truth/<file>.tsv (header line; see captures/README.md)
#   ours   proto src_ip src_port dst_ip dst_port service class method confidence server_name
#   nd     ndpiReader -C CSV (comma-separated; header starts with #)
# Output lines (tab-separated):
#   R <file> <svc> <trapline_hit> <ndpiReader_hit> <key> <detail>
#       one per truth flow whose label names a messaging service (recall)
#   C <who> <svc> <truth_kind> <file> <key> <detail> <method> <same>
#       one per flow <who> (trapline | ndpiReader) put in ott-messaging (or in push
#       under a service named in svcmap: ApplePush); <method> is
#       trapline's flows.method ("ndpi" for ndpiReader), <same> 1 when the truth names
#       the same service; truth_kind is
#       msg (the truth names a messaging service), generic (TLS, QUIC, HTTP, STUN, RTP,
#       SRTP, DTLS, Unknown: a transport, no application) or other (anything else,
#       including DNS.X lookups and tshark-only rows with an empty label)
# <key> is "<file> <dst_ip>:<dst_port>/<proto>" with dst the truth's responder.
#
# Label rule: the truth ndpi_label "<ids>/<A>[.<B>]" names a messaging session when
# its master A is not DNS/MDNS/LLMNR (a DNS.WhatsApp flow is a DNS lookup, not a
# session) and the app part (B, else A) is in svcmap below.  "(no matching nDPI
# flow)" rows have no label and are left out of every measure.
BEGIN {
    FS = "\t"
    n = split("WhatsApp:WhatsApp WhatsAppCall:WhatsApp WhatsAppFiles:WhatsApp " \
              "Signal:Signal SignalVoip:Signal Telegram:Telegram TelegramVoip:Telegram " \
              "Messenger:Messenger FacebookMessenger:Messenger FacebookVoip:Messenger " \
              "Viber:Viber ViberVoip:Viber Line:Line LineCall:Line WeChat:WeChat " \
              "Threema:Threema KakaoTalk:KakaoTalk KakaoTalk_Voice:KakaoTalk " \
              "Skype_Teams:Skype/Teams Skype_TeamsCall:Skype/Teams SkypeCall:Skype/Teams " \
              "Teams:Skype/Teams Discord:Discord Snapchat:Snapchat SnapchatCall:Snapchat " \
              "IMO:IMO Jabber:XMPP GoogleChat:GoogleChat ApplePush:ApplePush QQ:QQ", pairs, " ")
    for (i = 1; i <= n; i++) {
        split(pairs[i], kv, ":")
        svcmap[kv[1]] = kv[2]
        measured[kv[2]] = 1
    }
}
function label_service(label,    s, parts, np, master, app) {
    s = label
    sub(/^[0-9.]*\//, "", s)
    np = split(s, parts, ".")
    master = parts[1]
    app = parts[np]
    if (master == "DNS" || master == "MDNS" || master == "LLMNR")
        return ""
    return (app in svcmap) ? svcmap[app] : ""
}
function label_kind(label,    s) {
    if (label_service(label) != "")
        return "msg"
    s = label
    sub(/^[0-9.]*\//, "", s)
    if (s ~ /^(TLS|QUIC|HTTP|STUN|RTP|RTCP|SRTP|DTLS|Unknown)$/)
        return "generic"
    return "other"
}
function pnum(p) { return p == "TCP" ? 6 : p == "UDP" ? 17 : p }
function key(proto, a, ap, b, bp) {
    return (a < b || (a == b && ap + 0 < bp + 0)) ? proto "|" a "|" ap "|" b "|" bp \
                                                  : proto "|" b "|" bp "|" a "|" ap
}
FILENAME == ARGV[1] {
    if (FNR == 1) next
    k = key(pnum($2), $3, $4, $5, $6)
    ti[k]++
    truth[k, ti[k]] = $16
    tflow[++nt] = k SUBSEP ti[k]
    tdesc[nt] = $2 " " $3 ":" $4 " -> " $5 ":" $6
    tkey[nt] = FNAME " " $5 ":" $6 "/" $2
    next
}
FILENAME == ARGV[2] {
    k = key($1, $2, $3, $4, $5)
    oi[k]++
    ours[k, oi[k]] = $6 "\t" $7 "\t" $8 "\t" $9 "\t" $10
    next
}
FILENAME == ARGV[3] {
    if ($0 ~ /^#/) next
    split($0, c, ",")
    k = key(c[2], c[6], c[7], c[8], c[9])
    ni[k]++
    nd[k, ni[k]] = c[11]
    next
}
END {
    for (t = 1; t <= nt; t++) {
        split(tflow[t], kk, SUBSEP)
        k = kk[1]; idx = kk[2]
        label = truth[k, idx]
        if (label == "(no matching nDPI flow)")
            continue
        want = label_service(label)
        o = ((k, idx) in ours) ? ours[k, idx] : "(no flow)\t-\t-\t-\t-"
        split(o, of, "\t")
        ndl = ((k, idx) in nd) ? nd[k, idx] : "(no flow)"
        ndsvc = label_service(ndl)
        # A claim: class ott-messaging, or class push for a service the truth can
        # name (ApplePush; Google FCM has no truth label of its own).
        ours_ott = of[2] == "ott-messaging" || (of[2] == "push" && (of[1] in measured))
        detail = tdesc[t] " truth=" label " trapline=" of[1] "/" of[2] "/" of[3] "/" of[4] \
                 (of[5] != "" ? " name=" of[5] : "") " ndpiReader=" ndl
        kind = label_kind(label)
        if (want != "")
            print "R\t" FNAME "\t" want "\t" (ours_ott && of[1] == want) "\t" (ndsvc == want) \
                  "\t" tkey[t] "\t" detail
        if (ours_ott)
            print "C\ttrapline\t" of[1] "\t" kind "\t" FNAME "\t" tkey[t] "\t" detail \
                  "\t" of[3] "\t" (want == of[1])
        if (ndsvc != "")
            print "C\tndpiReader\t" ndsvc "\t" kind "\t" FNAME "\t" tkey[t] "\t" detail \
                  "\tndpi\t" (want == ndsvc)
    }
}
