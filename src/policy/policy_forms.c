/* Forms as the paper has them (docs/policy-format.md "Forms"): each 様式 with
 * its header lines, the 届出書's fields in order, and checklist sections with
 * their column headers and rows, each cell verbatim and each row tied to the
 * criterion, group or risk it reports; `paper:` says what the seed files when
 * it has no form. Loaded after the criteria, groups and risks (rows name
 * them) and checked against the procedures at the end: a decision the pack
 * asks for at a level must have a place on that level's body form. */
#include "policy/policy_int.h"

#include <string.h>

#include "logic/vb.h"

/* 'c', 'g', 'r' for a criterion, group or risk id of the pack, else 0 */
static int kind_of(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncriteria; i++)
		if (!strcmp(p->criteria[i].id, id))
			return 'c';
	for (i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].id, id))
			return 'g';
	for (i = 0; i < p->nrisks; i++)
		if (!strcmp(p->risks[i].id, id))
			return 'r';
	return 0;
}

/* reports: [ids], each a criterion, group or risk of the pack */
static const char **reports_of(struct ld *l, const struct ynode *owner, size_t *n)
{
	const struct ynode *y = ynode_get(owner, "reports");
	const char **ids;
	size_t i;

	*n = 0;
	if (!y)
		return NULL;
	ids = policy_ld_text_list(l, y, "reports", n);
	for (i = 0; i < *n; i++) {
		size_t j;

		if (!kind_of(l->p, ids[i]))
			ERR_AT(l, y->kind == YN_SEQ && i < y->n ? y->items[i] : y,
			       "'reports' の '%1$s' はこの基準の項目・グループ・リスクにありません / 'reports' names '%1$s', which is not a criterion, group or risk of this pack",
			       ids[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(ids[i], ids[j]))
				ERR_AT(l, y->kind == YN_SEQ && i < y->n ? y->items[i] : y,
				       "'reports' に '%1$s' が重複しています / 'reports' names '%1$s' twice", ids[i]);
	}
	return ids;
}

static int flag(struct ld *l, const struct ynode *owner, const char *key)
{
	const struct ynode *y = ynode_get(owner, key);

	return y ? policy_ld_bool(l, y, key) : 0;
}

static const char **text_list_at(struct ld *l, const struct ynode *owner, const char *key, size_t *n)
{
	const struct ynode *y = ynode_get(owner, key);

	*n = 0;
	return y ? policy_ld_text_list(l, y, key, n) : NULL;
}

/* A field: a header line or an item of a 届出書 (or of a section). */
static struct policy_form_field *load_fields(struct ld *l, const struct ynode *y, const char *what, size_t *n)
{
	static const char *const keys[] = { "id", "label", "fact", "facts", "input", "text", "boxes",
		"reports", "summary", "not_in_seed", NULL };
	static const char *const req[] = { "id", NULL };
	static const char *const inputs[] = { "text", "date", "check", "number", NULL };
	struct policy_form_field *out;
	size_t i, j, k;

	*n = 0;
	if (!y || !policy_ld_is_seq(l, y, what))
		return NULL;
	out = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*out));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_form_field *fd = &out[*n];

		if (!policy_ld_is_map(l, v, "a form field"))
			continue;
		policy_ld_check_keys(l, v, "a form field", keys, req);
		fd->at = policy_ld_pos(v);
		fd->id = policy_ld_text(l, v, "id", 1);
		fd->label = policy_ld_text(l, v, "label", 0);
		fd->input = policy_ld_text(l, v, "input", 0);
		fd->text = policy_ld_text(l, v, "text", 0);
		fd->boxes = text_list_at(l, v, "boxes", &fd->nboxes);
		fd->reports = reports_of(l, v, &fd->nreports);
		fd->summary = flag(l, v, "summary");
		fd->not_in_seed = flag(l, v, "not_in_seed");
		if ((t = ynode_get(v, "fact"))) {
			fd->facts = arena_alloc(l->a, sizeof(*fd->facts));
			fd->facts[0] = policy_ld_text(l, v, "fact", 1);
			fd->nfacts = fd->facts[0] ? 1 : 0;
			if (ynode_get(v, "facts"))
				ERR_AT(l, t, "'fact' と 'facts' のどちらか一方を書きます / a form field has either 'fact' or 'facts', not both");
		} else if ((t = ynode_get(v, "facts"))) {
			fd->facts = policy_ld_text_list(l, t, "facts", &fd->nfacts);
		}
		for (k = 0; k < fd->nfacts && l->set; k++)
			if (!policy_vocab_find(l->set->vocab, fd->facts[k], strlen(fd->facts[k])))
				ERR_AT(l, ynode_get(v, "fact") ? ynode_get(v, "fact") : ynode_get(v, "facts"),
				       "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", fd->facts[k]);
		if (fd->input && !policy_str_in(fd->input, inputs))
			ERR_AT(l, ynode_get(v, "input"), "'input' は text, date, check, number のいずれかです / 'input' is text, date, check or number");
		if (!fd->nfacts && !fd->input && !fd->text && !fd->nboxes && !fd->nreports && !fd->summary)
			ERR_AT(l, v, "様式の欄 '%1$s' に中身がありません。'fact', 'facts', 'input', 'text', 'boxes' のいずれかを書きます / form field '%1$s' names nothing: give 'fact', 'facts', 'input', 'text' or 'boxes'",
			       fd->id ? fd->id : "?");
		if (!fd->label && !fd->text && fd->id)
			ERR_AT(l, v, "様式の欄 '%1$s' には 'label' か 'text' が要ります / form field '%1$s' needs 'label' or 'text'", fd->id);
		for (j = 0; fd->id && j < *n; j++)
			if (out[j].id && !strcmp(out[j].id, fd->id))
				ERR_AT(l, ynode_get(v, "id"), "様式の欄の ID '%1$s' が重複しています / duplicate form field id '%1$s'", fd->id);
		(*n)++;
	}
	return out;
}

static struct policy_form_column *load_columns(struct ld *l, const struct ynode *y, size_t *n)
{
	static const char *const keys[] = { "id", "title", "answer", "level", NULL };
	static const char *const req[] = { "id", NULL };
	struct policy_form_column *out;
	size_t i, j;

	*n = 0;
	if (!y || !policy_ld_is_seq(l, y, "columns"))
		return NULL;
	out = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*out));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_form_column *c = &out[*n];

		if (!policy_ld_is_map(l, v, "a column"))
			continue;
		policy_ld_check_keys(l, v, "a column", keys, req);
		c->id = policy_ld_text(l, v, "id", 1);
		c->title = policy_ld_text(l, v, "title", 0);   /* none: the header to its left spans it */
		c->answer = flag(l, v, "answer");
		c->level = -1;
		if ((t = ynode_get(v, "level"))) {
			const char *lv = policy_ld_text(l, v, "level", 1);

			if (lv && (c->level = policy_level_index(l->p, lv)) < 0)
				ERR_AT(l, t, "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)",
				       lv, policy_level_list(l->a, l->p));
		}
		if (!c->id)
			continue;
		for (j = 0; j < *n; j++)
			if (out[j].id && !strcmp(out[j].id, c->id))
				ERR_AT(l, ynode_get(v, "id"), "列の ID '%1$s' が重複しています / duplicate column id '%1$s'", c->id);
		(*n)++;
	}
	return out;
}

static long column_index(const struct policy_form_section *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ncolumns; i++)
		if (s->columns[i].id && !strcmp(s->columns[i].id, id))
			return (long)i;
	return -1;
}

static void load_rows(struct ld *l, const struct ynode *y, struct policy_form_section *s)
{
	static const char *const keys[] = { "id", "reports", "cells", "note", NULL };
	static const char *const req[] = { "cells", NULL };
	size_t i, j;

	if (!y || !policy_ld_is_seq(l, y, "rows"))
		return;
	if (!s->ncolumns)
		ERR_AT(l, y, "行を書く欄には 'columns'（列見出し）が要ります / a section with rows needs 'columns' (its headers)");
	s->rows = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*s->rows));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *cells;
		struct policy_form_row *r = &s->rows[s->nrows];

		if (!policy_ld_is_map(l, v, "a row"))
			continue;
		policy_ld_check_keys(l, v, "a row", keys, req);
		r->at = policy_ld_pos(v);
		r->id = policy_ld_text(l, v, "id", 0);
		r->note = policy_ld_text(l, v, "note", 0);
		r->reports = reports_of(l, v, &r->nreports);
		r->cells = arena_zalloc(l->a, (s->ncolumns ? s->ncolumns : 1) * sizeof(*r->cells));
		r->boxes = arena_zalloc(l->a, (s->ncolumns ? s->ncolumns : 1) * sizeof(*r->boxes));
		r->nboxes = arena_zalloc(l->a, (s->ncolumns ? s->ncolumns : 1) * sizeof(*r->nboxes));
		if ((cells = ynode_get(v, "cells")) && policy_ld_is_map(l, cells, "cells")) {
			for (j = 0; j < cells->n; j++) {
				const struct ynode *k = cells->items[2 * j], *cv = cells->items[2 * j + 1];
				long at = column_index(s, k->str);

				if (at < 0) {
					ERR_AT(l, k, "列 '%1$s' はこの欄の列にありません / '%1$s' is not a column of this section", k->str);
					continue;
				}
				if (cv->kind == YN_SEQ) {
					if (!s->columns[at].answer)
						ERR_AT(l, cv, "回答欄（answer: true）の列でない '%1$s' にはチェック欄を書けません。文字列で書きます / column '%1$s' is not an answer column: its cell is text, not boxes",
						       k->str);
					r->boxes[at] = policy_ld_text_list(l, cv, "boxes", &r->nboxes[at]);
				} else if (cv->kind == YN_SCALAR && !ynode_is_null(cv)) {
					r->cells[at] = cv->str;
				} else if (cv->kind != YN_SCALAR) {
					ERR_AT(l, cv, "欄の中身は文字列かチェック欄のリストで書きます / a cell is text or a list of boxes");
				}
			}
		}
		for (j = 0; r->id && j < s->nrows; j++)
			if (s->rows[j].id && !strcmp(s->rows[j].id, r->id))
				ERR_AT(l, ynode_get(v, "id"), "行の ID '%1$s' が重複しています / duplicate row id '%1$s'", r->id);
		s->nrows++;
	}
}

/* the ids a section reports, in order, once each */
static void section_items(struct ld *l, struct policy_form_section *s)
{
	size_t n = 0, i, j, k;

	for (i = 0; i < s->nrows; i++)
		n += s->rows[i].nreports;
	for (i = 0; i < s->nfields; i++)
		n += s->fields[i].nreports;
	s->items = arena_zalloc(l->a, (n ? n : 1) * sizeof(*s->items));
	for (i = 0; i < s->nfields + s->nrows; i++) {
		const char **r = i < s->nfields ? s->fields[i].reports : s->rows[i - s->nfields].reports;
		size_t nr = i < s->nfields ? s->fields[i].nreports : s->rows[i - s->nfields].nreports;

		for (j = 0; j < nr; j++) {
			for (k = 0; k < s->nitems; k++)
				if (!strcmp(s->items[k], r[j]))
					break;
			if (k == s->nitems)
				s->items[s->nitems++] = r[j];
		}
	}
}

static void load_sections(struct ld *l, const struct ynode *y, struct policy_form *f)
{
	static const char *const keys[] = { "id", "title", "fields", "columns", "rows", "footnotes", NULL };
	static const char *const req[] = { "title", NULL };
	size_t i, j;

	if (!y || !policy_ld_is_seq(l, y, "sections"))
		return;
	f->sections = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*f->sections));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_form_section *s = &f->sections[f->nsections];

		if (!policy_ld_is_map(l, v, "a form section"))
			continue;
		policy_ld_check_keys(l, v, "a form section", keys, req);
		s->id = policy_ld_text(l, v, "id", 0);
		s->title = policy_ld_text(l, v, "title", 1);
		s->fields = load_fields(l, ynode_get(v, "fields"), "fields", &s->nfields);
		s->columns = load_columns(l, ynode_get(v, "columns"), &s->ncolumns);
		load_rows(l, ynode_get(v, "rows"), s);
		s->footnotes = text_list_at(l, v, "footnotes", &s->nfootnotes);
		section_items(l, s);
		for (j = 0; s->id && j < f->nsections; j++)
			if (f->sections[j].id && !strcmp(f->sections[j].id, s->id))
				ERR_AT(l, ynode_get(v, "id"), "欄の ID '%1$s' が重複しています / duplicate section id '%1$s'", s->id);
		f->nsections++;
	}
}

void policy_forms_load(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "id", "title", "name", "subtitle", "body_form", "note",
		"header", "fields", "sections", "footnotes", NULL };
	static const char *const req[] = { "id", "title", "body_form", NULL };
	struct policy *p = l->p;
	size_t i, j;

	if (!policy_ld_is_seq(l, y, "forms"))
		return;
	p->forms = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->forms));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_form *f = &p->forms[p->nforms];

		if (!policy_ld_is_map(l, v, "a form"))
			continue;
		policy_ld_check_keys(l, v, "a form", keys, req);
		f->at = policy_ld_pos(v);
		f->id = policy_ld_text(l, v, "id", 1);
		if (!f->id)
			continue;           /* reported: a form needs an id */
		for (j = 0; j < p->nforms; j++)
			if (!strcmp(p->forms[j].id, f->id))
				ERR_AT(l, v, "様式の ID '%1$s' が重複しています / duplicate form id '%1$s'", f->id);
		f->title = policy_ld_text(l, v, "title", 1);
		f->name = policy_ld_text(l, v, "name", 0);
		f->subtitle = policy_ld_text(l, v, "subtitle", 0);
		f->note = policy_ld_text(l, v, "note", 0);
		f->body_form = flag(l, v, "body_form");
		f->header = load_fields(l, ynode_get(v, "header"), "header", &f->nheader);
		f->fields = load_fields(l, ynode_get(v, "fields"), "fields", &f->nfields);
		load_sections(l, ynode_get(v, "sections"), f);
		f->footnotes = text_list_at(l, v, "footnotes", &f->nfootnotes);
		p->nforms++;
	}
}

void policy_paper_load(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "forms", "ledger", "text", NULL };
	static const char *const req[] = { "forms", "ledger", "text", NULL };
	static const char *const words[] = { "listed", "none", NULL };
	struct policy_paper *pp = &l->p->paper;
	const char *s;

	if (!policy_ld_is_map(l, y, "paper"))
		return;
	policy_ld_check_keys(l, y, "paper", keys, req);
	pp->has = 1;
	pp->text = policy_ld_text(l, y, "text", 1);
	if ((s = policy_ld_text(l, y, "forms", 1))) {
		if (!policy_str_in(s, words))
			ERR_AT(l, ynode_get(y, "forms"), "'forms' は listed か none です / 'forms' is listed or none");
		pp->forms = !strcmp(s, "listed");
	}
	if ((s = policy_ld_text(l, y, "ledger", 1))) {
		if (!policy_str_in(s, words))
			ERR_AT(l, ynode_get(y, "ledger"), "'ledger' は listed か none です / 'ledger' is listed or none");
		pp->ledger = !strcmp(s, "listed");
	}
}

/* Does a field or row of form f report id (or, for a summary, every criterion and group)? */
static int form_reports(const struct policy_form *f, const char *id, int kind)
{
	size_t i, j, k;

	for (i = 0; i < f->nheader + f->nfields; i++) {
		const struct policy_form_field *fd = i < f->nheader ? &f->header[i] : &f->fields[i - f->nheader];

		if (fd->summary && kind != 'r')
			return 1;
		for (j = 0; j < fd->nreports; j++)
			if (!strcmp(fd->reports[j], id))
				return 1;
	}
	for (i = 0; i < f->nsections; i++) {
		const struct policy_form_section *s = &f->sections[i];

		for (j = 0; j < s->nfields; j++)
			if (s->fields[j].summary && kind != 'r')
				return 1;
		for (k = 0; k < s->nitems; k++)
			if (!strcmp(s->items[k], id))
				return 1;
	}
	return 0;
}

static const struct policy_form *form_by_id(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nforms; i++)
		if (!strcmp(p->forms[i].id, id))
			return &p->forms[i];
	return NULL;
}

/* Is id reported on a body form of procedure r? 1 yes, 0 no, -1 r has no body form. */
static int placed(const struct policy *p, const struct policy_procedure *r, const char *id, int kind)
{
	size_t i;
	int any = 0;

	for (i = 0; i < r->nforms; i++) {
		const struct policy_form *f = form_by_id(p, r->forms[i]);

		if (!f || !f->body_form)
			continue;
		any = 1;
		if (form_reports(f, id, kind))
			return 1;
	}
	return any ? 0 : -1;
}

static void unplaced(struct ld *l, const struct policy_procedure *r, size_t lv, const char *id,
                     const char *what_ja, const char *what_en, struct policy_pos at)
{
	struct ynode y = { 0 };
	const char *forms = "";
	size_t i;

	for (i = 0; i < r->nforms; i++) {
		const struct policy_form *f = form_by_id(l->p, r->forms[i]);

		if (f && f->body_form)
			forms = *forms ? arena_printf(l->a, "%s, %s", forms, f->id) : f->id;
	}
	y.line = at.line;
	y.col = at.col;
	ERR_AT(l, &y, "%1$s '%2$s' は区分 '%3$s' で判断を求めていますが、その区分の様式（%4$s）に欄がありません。様式どおりに義務を直すか、様式の行の 'reports' に書きます"
	       " / %5$s '%2$s' asks for a decision at level '%3$s', but no row of that level's form (%4$s) reports it: follow the paper, or name it in a row's 'reports'",
	       what_ja, id, l->p->levels[lv].id, forms, what_en);
}

static int in_list(const char *const *xs, size_t n, const char *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(xs[i], x))
			return 1;
	return 0;
}

/* A body form's answer boxes are the words the officer ticks: an answer
 * that means met or accepted (a criterion's) or any answer to a risk must
 * be one of the boxes of the row that reports it. An answer that the paper
 * has no box for (a criterion's "cannot be met") is the pack's to justify. */
static void answers_on_boxes(struct ld *l, const struct policy_form_row *r, const char *const *boxes,
                             size_t nboxes)
{
	const struct policy *p = l->p;
	struct ynode y = { 0 };
	size_t i, j, k;

	y.line = r->at.line;
	y.col = r->at.col;
	for (i = 0; i < r->nreports; i++) {
		for (j = 0; j < p->ncriteria; j++) {
			const struct profile_answers *m = p->criteria[j].manual;

			if (strcmp(p->criteria[j].id, r->reports[i]) || !m)
				continue;
			for (k = 0; k < m->nmet + m->naccepted; k++) {
				const char *w = k < m->nmet ? m->met[k] : m->accepted[k - m->nmet];

				if (!in_list(boxes, nboxes, w))
					ERR_AT(l, &y, "項目 '%1$s' の回答「%2$s」は、それを報告する様式の行のチェック欄にありません。回答の語は様式のチェック欄の文言で書きます"
					       " / criterion '%1$s' answer '%2$s' is not a box of the form's row that reports it: write the answer as the box reads",
					       p->criteria[j].id, w);
			}
		}
		for (j = 0; j < p->nrisks; j++) {
			const struct policy_risk *rk = &p->risks[j];

			if (strcmp(rk->id, r->reports[i]))
				continue;
			for (k = 0; k < rk->noptions; k++)
				if (!in_list(boxes, nboxes, rk->options[k]))
					ERR_AT(l, &y, "リスク '%1$s' の選択肢「%2$s」は、それを報告する様式の行のチェック欄にありません"
					       " / risk '%1$s' option '%2$s' is not a box of the form's row that reports it",
					       rk->id, rk->options[k]);
		}
	}
}

void policy_forms_check(struct ld *l)
{
	const struct policy *p = l->p;
	size_t i, j, k, n_body = 0;

	for (i = 0; i < p->nforms; i++)
		n_body += p->forms[i].body_form != 0;
	if (p->paper.has && !p->paper.forms && n_body) {
		struct ynode y = { 0 };

		for (i = 0; i < p->nforms && !p->forms[i].body_form; i++)
			;
		y.line = p->forms[i].at.line;
		y.col = p->forms[i].at.col;
		ERR_AT(l, &y, "'paper: {forms: none}' なのに様式 '%1$s' が 'body_form: true' です / 'paper' says the seed has no form, but form '%1$s' is marked body_form: true",
		       p->forms[i].id);
	}
	for (i = 0; i < p->nforms; i++) {
		const struct policy_form *f = &p->forms[i];

		for (j = 0; f->body_form && j < f->nsections; j++) {
			const struct policy_form_section *sec = &f->sections[j];
			size_t ri, ci;

			for (ri = 0; ri < sec->nrows; ri++)
				for (ci = 0; ci < sec->ncolumns; ci++)
					if (sec->columns[ci].answer && sec->rows[ri].boxes[ci])
						answers_on_boxes(l, &sec->rows[ri], sec->rows[ri].boxes[ci],
						                 sec->rows[ri].nboxes[ci]);
		}
	}
	for (i = 0; i < p->nprocedures; i++) {
		const struct policy_procedure *r = &p->procedures[i];

		for (j = 0; j < r->nlevels; j++) {
			size_t lv = r->levels[j];

			if (placed(p, r, "", 0) < 0)
				break;      /* no body form: nothing to place */
			for (k = 0; k < p->ncriteria; k++) {
				const struct policy_criterion *c = &p->criteria[k];
				size_t g, m;
				int in_group = 0;

				if (c->ob[lv] == OB_NA || placed(p, r, c->id, 'c'))
					continue;
				for (g = 0; g < p->ngroups && !in_group; g++)
					for (m = 0; m < p->groups[g].nmembers; m++)
						if (p->groups[g].members[m] == k && placed(p, r, p->groups[g].id, 'g'))
							in_group = 1;
				if (!in_group)
					unplaced(l, r, lv, c->id, "項目", "criterion", c->at);
			}
			for (k = 0; k < p->ngroups; k++) {
				const struct policy_group *g = &p->groups[k];
				size_t m, have = 0;

				if (g->ob[lv] == OB_NA || placed(p, r, g->id, 'g'))
					continue;
				for (m = 0; m < g->nmembers; m++)
					have += placed(p, r, p->criteria[g->members[m]].id, 'c') == 1;
				if (have < g->nmembers)
					unplaced(l, r, lv, g->id, "グループ", "group", g->at);
			}
			for (k = 0; k < p->nrisks; k++)
				if (p->risks[k].ob[lv] != OB_NA && !placed(p, r, p->risks[k].id, 'r'))
					unplaced(l, r, lv, p->risks[k].id, "リスク", "risk", p->risks[k].at);
		}
	}
}

/* ---- the model ---- */

static void field_model(struct vb *b, const struct policy_form_field *fd)
{
	vb_obj(b);
	vb_kstr(b, "id", fd->id);
	vb_kstr(b, "label", fd->label);
	vb_kstr(b, "text", fd->text);
	vb_key(b, "facts");
	vb_strs(b, fd->facts, fd->nfacts);
	vb_kstr(b, "input", fd->input);
	vb_key(b, "boxes");
	vb_strs(b, fd->boxes, fd->nboxes);
	vb_key(b, "reports");
	vb_strs(b, fd->reports, fd->nreports);
	vb_kbool(b, "summary", fd->summary);
	vb_kbool(b, "not_in_seed", fd->not_in_seed);
	vb_end(b);
}

static void fields_model(struct vb *b, const char *key, const struct policy_form_field *fs, size_t n)
{
	size_t i;

	vb_key(b, key);
	vb_arr(b);
	for (i = 0; i < n; i++)
		field_model(b, &fs[i]);
	vb_end(b);
}

/* the levels whose procedures name form id */
static void form_levels(struct vb *b, const struct policy *p, const char *id)
{
	size_t i, j, k;

	vb_arr(b);
	for (k = 0; k < p->nlevels; k++) {
		int found = 0;

		for (i = 0; i < p->nprocedures && !found; i++)
			for (j = 0; j < p->procedures[i].nforms && !found; j++)
				if (!strcmp(p->procedures[i].forms[j], id)) {
					size_t m;

					for (m = 0; m < p->procedures[i].nlevels; m++)
						found |= p->procedures[i].levels[m] == k;
				}
		if (found)
			vb_str(b, p->levels[k].id);
	}
	vb_end(b);
}

static void section_model(struct vb *b, const struct policy *p, const struct policy_form_section *s)
{
	size_t i, j;

	vb_obj(b);
	vb_kstr(b, "id", s->id);
	vb_kstr(b, "title", s->title);
	fields_model(b, "fields", s->fields, s->nfields);
	vb_key(b, "columns");
	vb_arr(b);
	for (i = 0; i < s->ncolumns; i++) {
		vb_obj(b);
		vb_kstr(b, "id", s->columns[i].id);
		vb_kstr(b, "title", s->columns[i].title);
		vb_kbool(b, "answer", s->columns[i].answer);
		vb_kstr(b, "level", s->columns[i].level >= 0 ? p->levels[s->columns[i].level].id : NULL);
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "rows");
	vb_arr(b);
	for (i = 0; i < s->nrows; i++) {
		const struct policy_form_row *r = &s->rows[i];

		vb_obj(b);
		vb_kstr(b, "id", r->id);
		vb_key(b, "reports");
		vb_strs(b, r->reports, r->nreports);
		/* every column, in order: its text, its boxes, or null when blank */
		vb_key(b, "cells");
		vb_obj(b);
		for (j = 0; j < s->ncolumns; j++) {
			vb_key(b, s->columns[j].id);
			if (r->boxes[j]) {
				vb_obj(b);
				vb_key(b, "boxes");
				vb_strs(b, r->boxes[j], r->nboxes[j]);
				vb_end(b);
			} else if (r->cells[j]) {
				vb_str(b, r->cells[j]);
			} else {
				vb_null(b);
			}
		}
		vb_end(b);
		vb_kstr(b, "note", r->note);
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "footnotes");
	vb_strs(b, s->footnotes, s->nfootnotes);
	vb_end(b);
}

void policy_forms_model(struct vb *b, const struct policy *p)
{
	size_t i, j;

	vb_key(b, "paper");
	if (p->paper.has) {
		vb_obj(b);
		vb_kstr(b, "forms", p->paper.forms ? "listed" : "none");
		vb_kstr(b, "ledger", p->paper.ledger ? "listed" : "none");
		vb_kstr(b, "text", p->paper.text);
		vb_end(b);
	} else {
		vb_null(b);
	}
	vb_key(b, "forms");
	vb_arr(b);
	for (i = 0; i < p->nforms; i++) {
		const struct policy_form *f = &p->forms[i];

		vb_obj(b);
		vb_kstr(b, "id", f->id);
		vb_kstr(b, "title", f->title);
		vb_kstr(b, "name", f->name);
		vb_kstr(b, "subtitle", f->subtitle);
		vb_kbool(b, "body_form", f->body_form);
		vb_kstr(b, "note", f->note);
		vb_key(b, "levels");
		form_levels(b, p, f->id);
		fields_model(b, "header", f->header, f->nheader);
		fields_model(b, "fields", f->fields, f->nfields);
		vb_key(b, "sections");
		vb_arr(b);
		for (j = 0; j < f->nsections; j++)
			section_model(b, p, &f->sections[j]);
		vb_end(b);
		vb_key(b, "footnotes");
		vb_strs(b, f->footnotes, f->nfootnotes);
		vb_end(b);
	}
	vb_end(b);
}

const char *policy_form_title(const struct policy *p, const char *form_id)
{
	size_t i;

	for (i = 0; i < p->nforms; i++)
		if (!strcmp(p->forms[i].id, form_id))
			return p->forms[i].title ? p->forms[i].title : form_id;
	return form_id;
}
