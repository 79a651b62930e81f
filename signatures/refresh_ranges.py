#!/usr/bin/env python3
"""refresh_ranges.py - refresh a catalog CIDR rule from a vendor's published list.

Usage:
  python3 signatures/refresh_ranges.py --catalog signatures/catalog.yaml \
      --service NAME [--rule N] --format FMT --list FILE --date YYYY-MM-DD \
      [--select KEY=VALUE ...] [--family 4|6|any] [--dry-run]

Replaces the value list of the N-th (0-based, default 0) `cidr:` rule of service
NAME with the prefixes read from FILE (merged with ipaddress.collapse_addresses,
IPv4 before IPv6, each in address order), and rewrites the rule's `source:` so it
names the list and carries "as of DATE" (an older "as of ..." is replaced).  The
rest of the file is left byte for byte.  Then check the result with
`trapline signatures check` and review the diff (signatures/README.md "Catalog
upkeep").  Python 3 standard library only.

Formats (what each vendor publishes; download the file first, this script never
fetches anything):
  ms-endpoints  Microsoft 365 endpoints JSON (endpoints.office.com/endpoints/
                worldwide?clientrequestid=...): a list of objects with "id",
                "serviceArea", "ips"; --select id=11 or --select serviceArea=Skype
                (several --select: all must match).
  goog-json     Google's goog.json / cloud.json (www.gstatic.com/ipranges/):
                {"prefixes": [{"ipv4Prefix": ...} | {"ipv6Prefix": ...}]};
                cloud.json entries may be narrowed with --select scope=us-east1.
  cidr-txt      one prefix per line, '#' comments (core.telegram.org/resources/cidr.txt).
  route-objects RPSL text as whois prints it (whois -h whois.radb.net -- '-i origin
                AS32934'): "route:" and "route6:" attributes.
"""
import argparse
import datetime
import ipaddress
import json
import re
import sys

SOURCE_MAX = 255  # signatures/sig.h SIG_SOURCE_MAX - 1


def parse_list(fmt, text, selects):
    out = []
    if fmt == "ms-endpoints":
        for ent in json.loads(text):
            if all(str(ent.get(k)) == v for k, v in selects):
                out.extend(ent.get("ips", []))
    elif fmt == "goog-json":
        for ent in json.loads(text).get("prefixes", []):
            if all(str(ent.get(k)) == v for k, v in selects):
                p = ent.get("ipv4Prefix") or ent.get("ipv6Prefix")
                if p:
                    out.append(p)
    elif fmt == "cidr-txt":
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    elif fmt == "route-objects":
        for line in text.splitlines():
            m = re.match(r"^\s*route6?:\s*(\S+)", line)
            if m:
                out.append(m.group(1))
    else:
        raise SystemExit("unknown format %r" % fmt)
    nets = []
    for p in out:
        try:
            nets.append(ipaddress.ip_network(p, strict=True))
        except ValueError as e:
            raise SystemExit("bad prefix %r in the list: %s" % (p, e))
    return nets


def merged(nets, family):
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    res = []
    if family in ("4", "any"):
        res += sorted(ipaddress.collapse_addresses(v4))
    if family in ("6", "any"):
        res += sorted(ipaddress.collapse_addresses(v6))
    return [str(n) for n in res]


def find_rule(lines, service, index):
    """(cidr line index, source line index) of the index-th cidr rule of service."""
    in_svc = False
    seen = 0
    for i, line in enumerate(lines):
        m = re.match(r'^  - name:\s*"?([^"]+?)"?\s*$', line)
        if m:
            in_svc = m.group(1) == service
            continue
        if in_svc and re.match(r"^      - cidr:", line):
            if seen == index:
                for j in range(i + 1, len(lines)):
                    if re.match(r"^      - |^  - ", lines[j]):
                        break
                    if re.match(r"^        source:", lines[j]):
                        return i, j
                raise SystemExit("the rule at line %d has no source line" % (i + 1))
            seen += 1
    raise SystemExit("service %r has no cidr rule number %d" % (service, index))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--service", required=True)
    ap.add_argument("--rule", type=int, default=0)
    ap.add_argument("--format", required=True,
                    choices=["ms-endpoints", "goog-json", "cidr-txt", "route-objects"])
    ap.add_argument("--list", required=True)
    ap.add_argument("--date", required=True, help="date the list was downloaded, YYYY-MM-DD")
    ap.add_argument("--select", action="append", default=[])
    ap.add_argument("--family", default="any", choices=["4", "6", "any"])
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)
    datetime.date.fromisoformat(a.date)
    selects = []
    for s in a.select:
        if "=" not in s:
            raise SystemExit("--select wants KEY=VALUE, not %r" % s)
        selects.append(tuple(s.split("=", 1)))
    with open(a.list, encoding="utf-8") as f:
        prefixes = merged(parse_list(a.format, f.read(), selects), a.family)
    if not prefixes:
        raise SystemExit("the list yields no prefix (wrong --select or --family?)")
    with open(a.catalog, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    ci, si = find_rule(lines, a.service, a.rule)
    lines[ci] = "      - cidr: [" + ", ".join('"%s"' % p for p in prefixes) + "]"
    m = re.match(r'^(        source:\s*)"(.*)"\s*$', lines[si])
    if not m:
        raise SystemExit("line %d: source is not a double-quoted string" % (si + 1))
    src = re.sub(r"[;,]?\s*as of \d{4}-\d{2}-\d{2}", "", m.group(2))
    src = re.sub(r";?\s*refreshed from \S+ \([^)]*\)", "", src)
    name = a.list.rsplit("/", 1)[-1]
    sel = "".join(" %s=%s" % kv for kv in selects)
    src += "; refreshed from %s (%s%s); as of %s" % (name, a.format, sel, a.date)
    if len(src) > SOURCE_MAX:
        raise SystemExit("line %d: the new source would be %d characters (limit %d, "
                         "signatures/sig.h SIG_SOURCE_MAX): shorten it first"
                         % (si + 1, len(src), SOURCE_MAX))
    lines[si] = '%s"%s"' % (m.group(1), src.replace('"', "'"))
    out = "\n".join(lines)
    if a.dry_run:
        sys.stdout.write(out)
    else:
        with open(a.catalog, "w", encoding="utf-8") as f:
            f.write(out)
    sys.stderr.write("%s rule %d of %s: %d prefixes\n" % (a.catalog, a.rule, a.service,
                                                        len(prefixes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
