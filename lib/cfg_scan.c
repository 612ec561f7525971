/*
 * lib/cfg_scan.c -- catch the integers libconfig 1.5 would mangle.
 *
 * libconfig 1.5 (Debian 12) stores a plain integer literal in an int and
 * wraps whatever does not fit without a word: "life_bytes = 5000000000;"
 * reads back as 705032704, "0x100000000" as 0.  A range check after the
 * fact cannot see that, so before the schema runs this scanner walks the
 * text as libconfig's lexer does (comments, strings, names, numbers,
 * @include) and refuses any integer literal that does not fit: decimal
 * outside int32 or hex above 0xffffffff without the L suffix, or any
 * literal beyond 64 bits with it.  It runs only on text that libconfig has
 * already accepted, so it need not diagnose syntax.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

#define INCLUDE_DEPTH	10	/* libconfig's own limit */
#define FILE_MAX	(16 << 20)

struct scan {
	struct cfg_ctx	*c;
	const char	*file;
	const char	*p;
	unsigned int	 line;
	int		 depth;
	bool		 bol;	/* only blanks since the last newline */
};

/* Does the unsigned number digits[0..n) (base 10 or 16) fit in bits? */
static bool
fits(const char *d, size_t n, bool hex, bool neg, int bits)
{
	const char	*lim;
	size_t		 ll;

	while (n > 1 && d[0] == '0') {
		d++;
		n--;
	}
	if (hex)
		return n <= (size_t)bits / 4;
	if (bits == 32)
		lim = neg ? "2147483648" : "2147483647";
	else
		lim = neg ? "9223372036854775808" : "9223372036854775807";
	ll = strlen(lim);
	return n < ll || (n == ll && memcmp(d, lim, n) <= 0);
}

/* A number token at s->p: [-+]digits[.digits][e[-+]digits][L[L]] or hex. */
static int
number(struct scan *s)
{
	const char	*start = s->p, *t = s->p, *d;
	size_t		 n;
	bool		 neg = false, hex = false, flt = false, l64 = false;

	if (*t == '-' || *t == '+')
		neg = *t++ == '-';
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		hex = true;
		t += 2;
	}
	d = t;
	while (hex ? isxdigit((unsigned char)*t) : isdigit((unsigned char)*t))
		t++;
	n = (size_t)(t - d);
	if (!hex && (*t == '.' || *t == 'e' || *t == 'E')) {
		flt = true;
		while (isdigit((unsigned char)*t) || *t == '.' || *t == 'e' ||
		    *t == 'E' || ((*t == '-' || *t == '+') &&
		    (t[-1] == 'e' || t[-1] == 'E')))
			t++;
	} else if (*t == 'L') {
		l64 = true;
		t += t[1] == 'L' ? 2 : 1;
	}
	s->p = t;
	if (flt || fits(d, n, hex, neg, l64 ? 64 : 32))
		return 0;
	if (l64)
		return cfg_err_at(s->c, s->file, s->line, "integer %.*s does "
		    "not fit in 64 bits", (int)(t - start), start);
	return cfg_err_at(s->c, s->file, s->line, "integer %.*s does not fit "
	    "in 32 bits (write %.*sL for a 64-bit integer)", (int)(t - start),
	    start, (int)(t - start), start);
}

static int	scan_text(struct cfg_ctx *, const char *, const char *, int);

/* @include "name": scan that file too (libconfig resolves it against the
 * include directory, which cfg_load() sets to the top file's). */
static int
include(struct scan *s)
{
	const char	*q, *e;
	char		 path[4096], *text = NULL;
	FILE		*f = NULL;
	size_t		 n;
	long		 sz;
	int		 ret = -1;

	q = strchr(s->p, '"');
	e = q != NULL ? strchr(q + 1, '"') : NULL;
	if (q == NULL || e == NULL)
		return 0;	/* libconfig accepted it: cannot happen */
	s->p = e + 1;
	if (s->c->from_string)
		return cfg_err_at(s->c, s->file, s->line, "@include is not "
		    "allowed here (no directory to resolve it against)");
	n = (size_t)(e - q - 1);
	if (snprintf(path, sizeof(path), "%s%s%.*s",
	    s->c->dir != NULL ? s->c->dir : "", s->c->dir != NULL ? "/" : "",
	    (int)n, q + 1) >= (int)sizeof(path))
		return 0;
	if (s->depth + 1 >= INCLUDE_DEPTH || (f = fopen(path, "r")) == NULL)
		return 0;	/* libconfig read it; it will have said so */
	if (fseek(f, 0, SEEK_END) == -1 || (sz = ftell(f)) < 0 ||
	    sz > FILE_MAX || fseek(f, 0, SEEK_SET) == -1)
		goto done;
	if ((text = calloc(1, (size_t)sz + 1)) == NULL)
		goto done;
	if (fread(text, 1, (size_t)sz, f) != (size_t)sz)
		goto done;
	ret = scan_text(s->c, text, path, s->depth + 1);
 done:
	if (ret == -1 && text == NULL)
		ret = 0;	/* unreadable now: libconfig judged it */
	free(text);
	fclose(f);
	return ret;
}

static int
scan_text(struct cfg_ctx *c, const char *text, const char *file, int depth)
{
	struct scan	 s = { c, file, text, 1, depth, true };
	const char	*t;

	while (*s.p != '\0') {
		t = s.p;
		if (*t == '\n') {
			s.line++;
			s.bol = true;
			s.p++;
			continue;
		}
		if (*t == ' ' || *t == '\t' || *t == '\r') {
			s.p++;
			continue;
		}
		if (s.bol && strncmp(t, "@include", 8) == 0) {
			s.p += 8;
			s.bol = false;
			if (include(&s) == -1)
				return -1;
			continue;
		}
		s.bol = false;
		if (*t == '#' || (t[0] == '/' && t[1] == '/')) {
			while (*s.p != '\0' && *s.p != '\n')
				s.p++;
		} else if (t[0] == '/' && t[1] == '*') {
			for (s.p += 2; *s.p != '\0' &&
			    !(s.p[0] == '*' && s.p[1] == '/'); s.p++)
				if (*s.p == '\n')
					s.line++;
			if (*s.p != '\0')
				s.p += 2;
		} else if (*t == '"') {
			for (s.p++; *s.p != '\0' && *s.p != '"'; s.p++) {
				if (*s.p == '\\' && s.p[1] != '\0')
					s.p++;
				if (*s.p == '\n')
					s.line++;
			}
			if (*s.p != '\0')
				s.p++;
		} else if (isalpha((unsigned char)*t) || *t == '*') {
			while (isalnum((unsigned char)*s.p) || *s.p == '-' ||
			    *s.p == '_' || *s.p == '*')
				s.p++;
		} else if (isdigit((unsigned char)*t) || *t == '.' ||
		    ((*t == '-' || *t == '+') && (isdigit((unsigned char)t[1])
		    || t[1] == '.'))) {
			if (number(&s) == -1)
				return -1;
		} else
			s.p++;
	}
	return 0;
}

int
cfg_scan_no_include(struct cfg_ctx *c, const char *text)
{
	const char	*p = text;
	unsigned int	 line = 1;

	/* libconfig's rule is ^[ \t]*@include, whatever the context: so
	 * this is exact, not a guess (a string continued onto a line that
	 * starts with "@include" is refused too -- harmless). */
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "@include", 8) == 0)
			return cfg_err_at(c, c->name, line, "@include is not "
			    "allowed here (no directory to resolve it "
			    "against)");
		if ((p = strchr(p, '\n')) == NULL)
			return 0;
		p++;
		line++;
	}
}

int
cfg_scan_ints(struct cfg_ctx *c, const char *text, const char *file,
    int depth)
{
	return scan_text(c, text, file, depth);
}
