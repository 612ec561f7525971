/*
 * lib/cfg_addr.c -- addresses, traffic selectors and IKE identities as
 * written in tandem.conf.  Pure string parsers: (text) -> struct or a
 * reason; the caller adds file, line and key.
 *
 *   address     192.0.2.1  2001:db8::1  198.51.100.0/24  %any %any4 %any6
 *   selector    dynamic | ADDR | PREFIX | ADDR-ADDR, then optionally
 *               [PROTO] [PROTO/PORT] [PROTO/LO-HI] (swanctl's syntax)
 *   identity    as swanctl: 192.0.2.1, @fqdn, user@fqdn, @@user, "C=.., O=.."
 *               (a DN), @#hex (key id), or explicit fqdn: email: keyid:
 *               ipv4: ipv6: asn1dn: prefixes; %any (remote only)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

#define ID_MAX	1024	/* characters in an identity */

_Static_assert(CFG_AF_INET == AF_INET && CFG_AF_INET6 == AF_INET6,
    "cfg.h promises the kernel's values");

static int __attribute__((format(printf, 3, 4)))
why(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	if (len > 0) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static size_t
alen(uint8_t family)
{
	return family == CFG_AF_INET ? 4 : 16;
}

/* A bare address of either family into out (16 bytes); the family or 0. */
static uint8_t
parse_ip(const char *s, size_t n, uint8_t *out)
{
	char	 buf[64];

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, 16);
	if (inet_pton(AF_INET, buf, out) == 1)
		return CFG_AF_INET;
	if (inet_pton(AF_INET6, buf, out) == 1)
		return CFG_AF_INET6;
	return 0;
}

/* 1..3 decimal digits, nothing else; -1 if not. */
static int
parse_small(const char *s, size_t n, int max)
{
	int	 v = 0;
	size_t	 i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

int
cfg_addr_parse(const char *s, struct cfg_addr *a, char *wbuf, size_t wlen)
{
	const char	*slash;
	size_t		 n;
	int		 plen;

	memset(a, 0, sizeof(*a));
	if (strcmp(s, "%any") == 0)
		return 0;
	if (strcmp(s, "%any4") == 0 || strcmp(s, "%any6") == 0) {
		a->family = s[4] == '4' ? CFG_AF_INET : CFG_AF_INET6;
		return 0;
	}
	slash = strchr(s, '/');
	n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if ((a->family = parse_ip(s, n, a->addr)) == 0)
		return why(wbuf, wlen, "'%s' is not an IPv4 or IPv6 address, "
		    "prefix or %%any", s);
	a->plen = (uint8_t)(alen(a->family) * 8);
	if (slash == NULL)
		return 0;
	if ((plen = parse_small(slash + 1, strlen(slash + 1), a->plen)) < 0)
		return why(wbuf, wlen, "'%s' has a bad prefix length", s);
	a->plen = (uint8_t)plen;
	return 0;
}

int
cfg_addr_has_host_bits(const struct cfg_addr *a)
{
	size_t	 i, bits = alen(a->family) * 8;

	if (a->family == CFG_AF_ANY)
		return 0;
	for (i = a->plen; i < bits; i++)
		if (a->addr[i / 8] & (0x80 >> (i % 8)))
			return 1;
	return 0;
}

static const struct {
	const char	*name;
	uint8_t		 proto;
} protos[] = {
	{ "icmp",	1 },
	{ "tcp",	6 },
	{ "udp",	17 },
	{ "gre",	47 },
	{ "ipv6-icmp",	58 },
	{ "icmpv6",	58 },
	{ "sctp",	132 },
};

static bool
is_icmp(uint8_t proto)
{
	return proto == 1 || proto == 58;
}

/* "[proto]", "[proto/port]", "[proto/lo-hi]", "[/port]" (then an error) */
static int
parse_proto_port(const char *s, size_t n, struct cfg_ts *ts, char *wbuf,
    size_t wlen, const char *all)
{
	const char	*slash = memchr(s, '/', n), *port, *dash;
	size_t		 pn, i;
	int		 v, lo, hi;

	ts->port_lo = 0;
	ts->port_hi = 65535;
	pn = slash != NULL ? (size_t)(slash - s) : n;
	if (pn == 0 || (pn == 4 && memcmp(s, "%any", 4) == 0))
		ts->proto = 0;
	else if ((v = parse_small(s, pn, 255)) >= 0)
		ts->proto = (uint8_t)v;
	else {
		for (i = 0; i < nitems(protos); i++)
			if (strlen(protos[i].name) == pn &&
			    memcmp(protos[i].name, s, pn) == 0)
				break;
		if (i == nitems(protos))
			return why(wbuf, wlen, "'%s' has an unknown protocol "
			    "(tcp, udp, icmp, ipv6-icmp, sctp, gre or a "
			    "number)", all);
		ts->proto = protos[i].proto;
	}
	if (slash == NULL)
		return 0;
	port = slash + 1;
	pn = n - (size_t)(port - s);
	if (pn == 0 || (pn == 4 && memcmp(port, "%any", 4) == 0))
		return 0;
	if (ts->proto == 0)
		return why(wbuf, wlen, "'%s' has a port but no protocol "
		    "(e.g. [tcp/443])", all);
	if (is_icmp(ts->proto)) {
		/* RFC 4301 4.4.1.3: the ICMP type goes in the high byte. */
		if ((v = parse_small(port, pn, 255)) < 0)
			return why(wbuf, wlen, "'%s' has a bad ICMP type "
			    "(0..255)", all);
		ts->port_lo = (uint16_t)(v << 8);
		ts->port_hi = (uint16_t)(v << 8 | 0xff);
		return 0;
	}
	dash = memchr(port, '-', pn);
	if (dash == NULL) {
		lo = hi = parse_small(port, pn, 65535);
	} else {
		lo = parse_small(port, (size_t)(dash - port), 65535);
		hi = parse_small(dash + 1, pn - (size_t)(dash + 1 - port),
		    65535);
	}
	if (lo < 0 || hi < 0 || lo > hi)
		return why(wbuf, wlen, "'%s' has a bad port or port range "
		    "(0..65535)", all);
	ts->port_lo = (uint16_t)lo;
	ts->port_hi = (uint16_t)hi;
	return 0;
}

int
cfg_ts_parse(const char *s, struct cfg_ts *ts, char *wbuf, size_t wlen)
{
	const char	*br, *dash, *slash;
	struct cfg_addr	 a;
	uint8_t		 f2, end[16];
	size_t		 n, i, bits;
	int		 plen;

	memset(ts, 0, sizeof(*ts));
	ts->port_hi = 65535;
	br = strchr(s, '[');
	n = br != NULL ? (size_t)(br - s) : strlen(s);
	if (br != NULL) {
		if (br[strlen(br) - 1] != ']' || strchr(br + 1, '[') != NULL)
			return why(wbuf, wlen, "'%s' has an unclosed [", s);
		if (parse_proto_port(br + 1, strlen(br) - 2, ts, wbuf, wlen,
		    s) == -1)
			return -1;
	}
	if (n == 7 && memcmp(s, "dynamic", 7) == 0) {
		ts->dynamic = true;
		return 0;
	}
	slash = memchr(s, '/', n);
	dash = memchr(s, '-', n);
	if (dash != NULL && slash == NULL) {
		ts->family = parse_ip(s, (size_t)(dash - s), ts->start);
		f2 = parse_ip(dash + 1, n - (size_t)(dash + 1 - s), ts->end);
		if (ts->family == 0 || f2 == 0)
			goto bad;
		if (f2 != ts->family)
			return why(wbuf, wlen, "'%s' mixes IPv4 and IPv6", s);
		if (memcmp(ts->start, ts->end, alen(ts->family)) > 0)
			return why(wbuf, wlen, "'%s' is an empty range", s);
		return 0;
	}
	if ((ts->family = parse_ip(s, slash != NULL ? (size_t)(slash - s) : n,
	    ts->start)) == 0)
		goto bad;
	bits = alen(ts->family) * 8;
	memcpy(end, ts->start, 16);
	if (slash != NULL) {
		plen = parse_small(slash + 1, n - (size_t)(slash + 1 - s),
		    (int)bits);
		if (plen < 0)
			return why(wbuf, wlen, "'%s' has a bad prefix length",
			    s);
		memset(&a, 0, sizeof(a));
		a.family = ts->family;
		a.plen = (uint8_t)plen;
		memcpy(a.addr, ts->start, 16);
		if (cfg_addr_has_host_bits(&a))
			return why(wbuf, wlen, "'%s' has host bits set after "
			    "the prefix length", s);
		for (i = (size_t)plen; i < bits; i++)
			end[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	}
	memcpy(ts->end, end, 16);
	return 0;
 bad:
	return why(wbuf, wlen, "'%s' is not a traffic selector (dynamic, an "
	    "address, a prefix or a range, then optionally [proto/port])", s);
}

/* The prefix length if start..end is a prefix, else -1. */
static int
ts_prefix(const struct cfg_ts *ts)
{
	size_t	 i, bits = alen(ts->family) * 8;
	int	 plen = -1;
	int	 sb, eb;

	for (i = 0; i < bits; i++) {
		sb = ts->start[i / 8] & (0x80 >> (i % 8));
		eb = ts->end[i / 8] & (0x80 >> (i % 8));
		if (plen < 0 && sb != eb)
			plen = (int)i;
		if (plen >= 0 && (sb != 0 || eb == 0))
			return -1;
	}
	return plen < 0 ? (int)bits : plen;
}

int
cfg_ts_fmt(const struct cfg_ts *ts, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], pp[32];
	int	 af = ts->family == CFG_AF_INET ? AF_INET : AF_INET6, plen, w;

	pp[0] = '\0';
	if (ts->proto != 0 || ts->port_lo != 0 || ts->port_hi != 65535) {
		if (ts->port_lo == 0 && ts->port_hi == 65535)
			snprintf(pp, sizeof(pp), "[%u]", ts->proto);
		else if (is_icmp(ts->proto))
			snprintf(pp, sizeof(pp), "[%u/%u]", ts->proto,
			    ts->port_lo >> 8);
		else if (ts->port_lo == ts->port_hi)
			snprintf(pp, sizeof(pp), "[%u/%u]", ts->proto,
			    ts->port_lo);
		else
			snprintf(pp, sizeof(pp), "[%u/%u-%u]", ts->proto,
			    ts->port_lo, ts->port_hi);
	}
	if (ts->dynamic) {
		w = snprintf(buf, len, "dynamic%s", pp);
	} else {
		if (inet_ntop(af, ts->start, a, sizeof(a)) == NULL ||
		    inet_ntop(af, ts->end, b, sizeof(b)) == NULL)
			return -1;
		plen = ts_prefix(ts);
		if (plen == (int)alen(ts->family) * 8)
			w = snprintf(buf, len, "%s%s", a, pp);
		else if (plen >= 0)
			w = snprintf(buf, len, "%s/%d%s", a, plen, pp);
		else
			w = snprintf(buf, len, "%s-%s%s", a, b, pp);
	}
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

int
cfg_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t	 n = strlen(hex), i;
	int	 hi, lo;

	if (n == 0 || n % 2 != 0 || n / 2 > cap)
		return -1;
	for (i = 0; i < n; i += 2) {
		if (!isxdigit((unsigned char)hex[i]) ||
		    !isxdigit((unsigned char)hex[i + 1]))
			return -1;
		hi = isdigit((unsigned char)hex[i]) ? hex[i] - '0' :
		    tolower((unsigned char)hex[i]) - 'a' + 10;
		lo = isdigit((unsigned char)hex[i + 1]) ? hex[i + 1] - '0' :
		    tolower((unsigned char)hex[i + 1]) - 'a' + 10;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

static const struct {
	const char		*prefix;
	enum cfg_id_type	 type;
} id_prefixes[] = {
	{ "ipv4:",	CFG_ID_IPV4 },
	{ "ipv6:",	CFG_ID_IPV6 },
	{ "fqdn:",	CFG_ID_FQDN },
	{ "email:",	CFG_ID_RFC822 },
	{ "rfc822:",	CFG_ID_RFC822 },
	{ "userfqdn:",	CFG_ID_RFC822 },
	{ "asn1dn:",	CFG_ID_DN },
	{ "keyid:",	CFG_ID_KEY_ID },
};

void
cfg_id_fini(struct cfg_id *id)
{
	if (id == NULL)
		return;
	free(id->text);
	free(id->data);
	memset(id, 0, sizeof(*id));
}

int
cfg_id_parse(const char *s, struct cfg_id *id, char *wbuf, size_t wlen)
{
	enum cfg_id_type	 type = CFG_ID_ANY;
	const char		*v = s;
	uint8_t			 ip[16];
	size_t			 i, n;
	int			 hexlen = -1;

	memset(id, 0, sizeof(*id));
	if (s[0] == '\0')
		return why(wbuf, wlen, "empty identity");
	if (strlen(s) > ID_MAX)
		return why(wbuf, wlen, "identity too long (max %d characters)",
		    ID_MAX);
	if (strcmp(s, "%any") == 0)
		return 0;
	for (i = 0; i < nitems(id_prefixes); i++) {
		n = strlen(id_prefixes[i].prefix);
		if (strncmp(s, id_prefixes[i].prefix, n) == 0) {
			type = id_prefixes[i].type;
			v = s + n;
			break;
		}
	}
	if (type == CFG_ID_ANY) {
		if (parse_ip(s, strlen(s), ip) == CFG_AF_INET)
			type = CFG_ID_IPV4;
		else if (parse_ip(s, strlen(s), ip) == CFG_AF_INET6)
			type = CFG_ID_IPV6;
		else if (strncmp(s, "@#", 2) == 0) {
			type = CFG_ID_KEY_ID;
			v = s + 2;
			hexlen = 0;
		} else if (strncmp(s, "@@", 2) == 0) {
			type = CFG_ID_RFC822;
			v = s + 2;
		} else if (s[0] == '@') {
			type = CFG_ID_FQDN;
			v = s + 1;
		} else if (strchr(s, '=') != NULL)
			type = CFG_ID_DN;
		else if (strchr(s, '@') != NULL)
			type = CFG_ID_RFC822;
		else
			type = CFG_ID_FQDN;
	}
	if (type == CFG_ID_KEY_ID && strncmp(v, "0x", 2) == 0) {
		v += 2;
		hexlen = 0;
	}
	if (*v == '\0')
		return why(wbuf, wlen, "identity '%s' is empty after its "
		    "prefix", s);
	if ((id->text = strdup(s)) == NULL ||
	    (id->data = malloc(strlen(v) + 16)) == NULL)
		goto oom;
	id->type = type;
	switch (type) {
	case CFG_ID_IPV4:
	case CFG_ID_IPV6:
		if (parse_ip(v, strlen(v), ip) !=
		    (type == CFG_ID_IPV4 ? CFG_AF_INET : CFG_AF_INET6)) {
			cfg_id_fini(id);
			return why(wbuf, wlen, "identity '%s' is not an address "
			    "of its type", s);
		}
		id->len = type == CFG_ID_IPV4 ? 4 : 16;
		memcpy(id->data, ip, id->len);
		break;
	case CFG_ID_KEY_ID:
		if (hexlen == 0) {
			if ((hexlen = cfg_hex_decode(v, id->data,
			    strlen(v))) < 0) {
				cfg_id_fini(id);
				return why(wbuf, wlen, "identity '%s' has bad "
				    "hex", s);
			}
			id->len = (size_t)hexlen;
			break;
		}
		id->len = strlen(v);	/* a text key id */
		memcpy(id->data, v, id->len);
		break;
	default:
		id->len = strlen(v);
		memcpy(id->data, v, id->len);
		id->wildcard = strchr(v, '*') != NULL;
		break;
	}
	return 0;
 oom:
	cfg_id_fini(id);
	return why(wbuf, wlen, "out of memory");
}

bool
cfg_id_eq(const struct cfg_id *a, const struct cfg_id *b)
{
	if (a->type != b->type || a->len != b->len)
		return false;
	return a->len == 0 || memcmp(a->data, b->data, a->len) == 0;
}

const char *
cfg_id_type_name(enum cfg_id_type t)
{
	switch (t) {
	case CFG_ID_ANY:
		return "any";
	case CFG_ID_IPV4:
		return "ipv4";
	case CFG_ID_FQDN:
		return "fqdn";
	case CFG_ID_RFC822:
		return "rfc822";
	case CFG_ID_IPV6:
		return "ipv6";
	case CFG_ID_DN:
		return "dn";
	case CFG_ID_KEY_ID:
		return "keyid";
	}
	return "?";
}
