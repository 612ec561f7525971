/* ha/haadm_fmt.c -- output helpers for haadm's --json, and the
 * collector of a command's status-line reply. */
#include <stdio.h>

#include "haadm.h"
#include "tandem/ctlmsg.h"

void
haadm_kv_collect(void *arg, const struct ctl_hdr *h, struct rd *tlvs)
{
	struct haadm_kv	*o = arg;
	struct ctl_tlv	 t;

	(void)h;
	while (ctl_next(tlvs, &t) == 1)
		if (t.tag == CTL_T_KV && o->n < HAADM_KV_MAX &&
		    ctl_kv(&t, o->kv[o->n][0], sizeof(o->kv[0][0]),
		    o->kv[o->n][1], sizeof(o->kv[0][1])) == 0)
			o->n++;
}

void
haadm_kv_json(const struct haadm_kv *o)
{
	size_t	 i;

	printf("{");
	for (i = 0; i < o->n; i++) {
		printf("%s", i ? ", " : "");
		json_str(stdout, o->kv[i][0]);
		printf(": ");
		json_str(stdout, o->kv[i][1]);
	}
	printf("}\n");
}

void
json_str(FILE *f, const char *s)
{
	const unsigned char	*p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}
