/*
 * ha/haadm_table.c -- tables received over the control socket (CTL_T_TABLE,
 * CTL_T_COLUMNS, CTL_T_ROW), collected across datagrams and printed as an
 * aligned human table or as JSON arrays of objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "haadm.h"
#include "tandem/util.h"

static char *
xstrdup(const char *s)
{
	char	*d = strdup(s);

	if (d == NULL) {
		fprintf(stderr, "haadm: out of memory\n");
		exit(HAADM_FAILED);
	}
	return d;
}

static struct table *
current(struct tables *ts)
{
	return ts->n == 0 ? NULL : &ts->t[ts->n - 1];
}

void
tables_on_msg(void *arg, const struct ctl_hdr *h, struct rd *tlvs)
{
	static char	 buf[CTL_MAX_LEN + 1];
	struct tables	*ts = arg;
	struct table	*t;
	struct ctl_tlv	 tlv;
	const char	*cells[CTL_ROW_MAX];
	char		**row;
	int		 n, rc;
	size_t		 i;

	while ((rc = ctl_next(tlvs, &tlv)) == 1) {
		switch (tlv.tag) {
		case CTL_T_TABLE:
			if (ts->n >= nitems(ts->t)) {
				ts->bad = true;
				return;
			}
			t = &ts->t[ts->n++];
			memset(t, 0, sizeof(*t));
			snprintf(t->name, sizeof(t->name), "%.*s",
			    (int)tlv.len, (const char *)tlv.val);
			break;
		case CTL_T_COLUMNS:
			if ((t = current(ts)) == NULL ||
			    (n = ctl_row(&tlv, buf, sizeof(buf), cells,
			    CTL_ROW_MAX)) < 0) {
				ts->bad = true;
				return;
			}
			for (i = 0; i < (size_t)n; i++)
				t->cols[i] = xstrdup(cells[i]);
			t->ncols = (size_t)n;
			break;
		case CTL_T_ROW:
			if ((t = current(ts)) == NULL || t->ncols == 0 ||
			    (n = ctl_row(&tlv, buf, sizeof(buf), cells,
			    CTL_ROW_MAX)) != (int)t->ncols) {
				ts->bad = true;
				return;
			}
			if (t->nrows == t->cap) {
				t->cap = t->cap ? t->cap * 2 : 16;
				t->rows = realloc(t->rows, t->cap *
				    sizeof(*t->rows));
				if (t->rows == NULL) {
					fprintf(stderr, "haadm: out of memory\n");
					exit(HAADM_FAILED);
				}
			}
			if ((row = calloc(t->ncols, sizeof(*row))) == NULL) {
				fprintf(stderr, "haadm: out of memory\n");
				exit(HAADM_FAILED);
			}
			for (i = 0; i < t->ncols; i++)
				row[i] = xstrdup(cells[i]);
			t->rows[t->nrows++] = row;
			break;
		default:
			break;	/* newer daemon: skip what we do not know */
		}
	}
	if (rc < 0)
		ts->bad = true;
}

const struct table *
tables_find(const struct tables *ts, const char *name)
{
	size_t	 i;

	for (i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i].name, name) == 0)
			return &ts->t[i];
	return NULL;
}

void
table_print(FILE *f, const struct table *t)
{
	size_t	 w[CTL_ROW_MAX], i, r;

	for (i = 0; i < t->ncols; i++)
		w[i] = strlen(t->cols[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++)
			if (strlen(t->rows[r][i]) > w[i])
				w[i] = strlen(t->rows[r][i]);
	for (i = 0; i < t->ncols; i++)
		fprintf(f, "%s%-*s", i ? "  " : "", i + 1 < t->ncols ?
		    (int)w[i] : 0, t->cols[i]);
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			fprintf(f, "%s%-*s", i ? "  " : "", i + 1 < t->ncols ?
			    (int)w[i] : 0, t->rows[r][i][0] != '\0' ?
			    t->rows[r][i] : "-");
		fputc('\n', f);
	}
}

void
table_json(FILE *f, const struct table *t)
{
	size_t	 i, r;

	fputc('[', f);
	for (r = 0; r < t->nrows; r++) {
		fprintf(f, "%s{", r ? ", " : "");
		for (i = 0; i < t->ncols; i++) {
			fprintf(f, "%s", i ? ", " : "");
			json_str(f, t->cols[i]);
			fprintf(f, ": ");
			json_str(f, t->rows[r][i]);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

void
tables_free(struct tables *ts)
{
	size_t	 i, r, c;

	for (i = 0; i < ts->n; i++) {
		struct table *t = &ts->t[i];

		for (r = 0; r < t->nrows; r++) {
			for (c = 0; c < t->ncols; c++)
				free(t->rows[r][c]);
			free(t->rows[r]);
		}
		free(t->rows);
		for (c = 0; c < t->ncols; c++)
			free(t->cols[c]);
	}
	ts->n = 0;
}
