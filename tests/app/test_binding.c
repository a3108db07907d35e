/* app/binding on a real store in a temporary folder, with the bundled packs:
 * the parties of every pack (ids stable, unique, from the words alone), each
 * form of binding resolved for applicants of different departments (disabled
 * users left out), app_binding_has, the store over the config file and unset
 * falling back to it, what a procedure needs (exemptions skip a
 * consultation), and refusals that write nothing.
 *   test_binding POLICIES_DIR */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/binding.h"
#include "app/init.h"
#include "core/fmt.h"
#include "logic/vb.h"

static const char *policies;

struct fx {
	char dir[64], db[96], key[96];
	struct arena a;
	struct app_config cfg;
	struct app_deploy dep;
	struct diag d;
	struct app_actor admin, clerk;
	const struct policy *anjo, *otokuni;
};

static long long count(struct fx *f, const char *kind)
{
	struct store_query q;
	struct err e = { 0 };
	long long n = -1;

	memset(&q, 0, sizeof(q));
	q.kind = kind;
	assert_int_equal(store_record_count(f->dep.s, &q, &n, &e), OK);
	return n;
}

static long long audit_entries(struct fx *f)
{
	struct err e = { 0 };
	long long n = -1, first, last;

	assert_int_equal(store_audit_count(f->dep.s, &n, &first, &last, &e), OK);
	return n;
}

/* A user record as docs/records.md has it (no password: not needed here). */
static void user(struct fx *f, const char *login, const char *role, const char *dept, const char *title, int disabled)
{
	struct store_record r, old;
	struct err e = { 0 };
	const char *body = arena_printf(&f->a, "{\"login\":\"%s\",\"name\":\"\",\"dept\":\"%s\",\"title\":\"%s\","
	                                "\"role\":\"%s\",\"disabled\":%s}", login, dept, title, role,
	                                disabled ? "true" : "false");

	memset(&r, 0, sizeof(r));
	r.kind = "user";
	r.id = login;
	r.version = store_record_get(f->dep.s, &f->a, "user", login, 0, &old, &e) == OK ? old.version + 1 : 1;
	r.keys.state = disabled ? "disabled" : "active";
	r.keys.owner = login;
	r.keys.dept = dept;
	r.body = body;
	r.body_len = strlen(body);
	assert_int_equal(app_record_write(&f->dep, NULL, "test", "user.add", &r, NULL, NULL, NULL, &e), OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct app_init_req r = { 0 };
	const struct lval *m;
	struct err e = { 0 };

	assert_non_null(f);
	assert_true(fmt_snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/shinsa-bind-XXXXXX") > 0);
	assert_non_null(mkdtemp(f->dir));
	assert_true(fmt_snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir) > 0);
	assert_true(fmt_snprintf(f->key, sizeof(f->key), "%s/t.key", f->dir) > 0);
	arena_init(&f->a, 0);
	r.database = f->db;
	r.audit_key = f->key;
	r.actor = "";
	r.channel = "test";
	assert_int_equal(app_init(&f->a, &r, &m, &e), OK);
	f->cfg.database = f->db;
	f->cfg.audit_key = f->key;
	f->cfg.file = "/etc/shinsa.yaml";
	assert_int_equal(app_deploy_open(&f->dep, &f->a, &f->cfg, policies, DEPLOY_AUDIT | DEPLOY_POLICIES, &f->d, &e), OK);
	f->anjo = policy_find(f->dep.set, "anjo");
	f->otokuni = policy_find(f->dep.set, "otokuni");
	assert_non_null(f->anjo);
	assert_non_null(f->otokuni);
	user(f, "root", "admin", "情報政策課", "", 0);
	user(f, "sato", "applicant", "福祉課", "主査", 0);
	user(f, "kimura", "approver", "福祉課", "課長", 0);
	user(f, "mori", "applicant", "税務課", "主事", 0);
	user(f, "kato", "consultee", "行政課", "係長", 0);
	user(f, "ito", "consultee", "行政課", "課長", 0);
	user(f, "abe", "consultee", "行政課", "主事", 1);
	user(f, "nodept", "applicant", "", "", 0);
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "root", "test", &f->admin, &e), OK);
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "kato", "test", &f->clerk, &e), OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[128];

	app_deploy_close(&f->dep);
	diag_free(&f->d);
	arena_release(&f->a);
	unlink(f->db);
	unlink(f->key);
	if (fmt_snprintf(p, sizeof(p), "%s-wal", f->db) > 0)
		unlink(p);
	if (fmt_snprintf(p, sizeof(p), "%s-shm", f->db) > 0)
		unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct app_user applicant(struct fx *f, const char *login)
{
	struct app_user u;
	struct err e = { 0 };

	assert_int_equal(app_user_get(f->dep.s, &f->a, login, &u, &e), OK);
	return u;
}

/* The logins party resolves to for applicant login (NULL: none), joined with ",". */
static const char *resolved(struct fx *f, const struct policy *p, const char *party, const char *login, int *rc,
                            struct err *e)
{
	struct app_user u;
	const char **v;
	size_t n, i;
	const char *s = "";

	if (login)
		u = applicant(f, login);
	*rc = app_binding_resolve(&f->dep, &f->a, p, party, login ? &u : NULL, &v, &n, e);
	for (i = 0; !*rc && i < n; i++)
		s = arena_printf(&f->a, "%s%s%s", s, i ? "," : "", v[i]);
	return s;
}

static void set(struct fx *f, const struct policy *p, const char *party, int how, const char *const *users,
                size_t nusers, const char *dept, const char *title, int want)
{
	struct app_binding_spec sp = { how, users, nusers, dept, title };
	const struct lval *m;
	struct err e = { 0 };
	int rc = app_binding_set(&f->dep, &f->admin, p, party, &sp, &m, &e);

	if (rc != want)
		fail_msg("bind set %s %s: %d (%s), want %d", p->id, party, rc, e.msg, want);
}

static void test_ids(void **state)
{
	struct fx *f = *state;
	const char *h1, *h2;
	size_t i, j, k;

	assert_string_equal(app_party_id(&f->a, "各課の課長"), "section-chief");
	assert_string_equal(app_party_id(&f->a, "統括情報セキュリティ責任者"), "ciso");
	assert_string_equal(app_party_id(&f->a, "CIO補佐官"), "cio-adviser");
	h1 = app_party_id(&f->a, "福祉部長");
	h2 = app_party_id(&f->a, "福祉部長");
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), strlen("party-") + 8);
	assert_memory_equal(h1, "party-", 6);
	assert_string_not_equal(h1, app_party_id(&f->a, "福祉部次長"));
	for (i = 0; i < f->dep.set->npacks; i++) {
		struct policy_party *v;
		size_t n = policy_parties(&f->a, f->dep.set->packs[i], &v);

		for (j = 0; j < n; j++) {
			assert_string_equal(v[j].id, app_party_id(&f->a, v[j].text));
			for (k = 0; v[j].id[k]; k++)
				assert_true((v[j].id[k] >= 'a' && v[j].id[k] <= 'z') || (v[j].id[k] >= '0' && v[j].id[k] <= '9') ||
				            v[j].id[k] == '-');
			for (k = 0; k < j; k++) {
				assert_string_not_equal(v[j].id, v[k].id);
				assert_string_not_equal(v[j].text, v[k].text);
			}
			assert_true(v[j].nrefs > 0);
		}
	}
}

static void test_unbound(void **state)
{
	struct fx *f = *state;
	struct err e = { 0 };
	int rc;

	resolved(f, f->anjo, "各課の課長", "sato", &rc, &e);
	assert_int_equal(rc, ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "section-chief"));
	assert_non_null(strstr(e.msg, "各課の課長"));
	assert_non_null(strstr(e.msg, "shinsa bind set anjo section-chief"));
	/* by id too; a party the pack does not name is the caller's mistake */
	resolved(f, f->anjo, "section-chief", "sato", &rc, &e);
	assert_int_equal(rc, ERR_NOTFOUND);
	resolved(f, f->anjo, "統括情報セキュリティ責任者", "sato", &rc, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(e.msg, "bind list anjo"));
}

static void test_forms(void **state)
{
	struct fx *f = *state;
	static const char *const two[] = { "kato", "ito" };
	struct err e = { 0 };
	int rc;

	/* 各課の課長: the applicant's own department, title 課長 */
	set(f, f->anjo, "各課の課長", BIND_APPLICANT_DEPT, NULL, 0, NULL, "課長", OK);
	assert_string_equal(resolved(f, f->anjo, "各課の課長", "sato", &rc, &e), "kimura");
	assert_int_equal(rc, OK);
	resolved(f, f->anjo, "各課の課長", "mori", &rc, &e);   /* 税務課 has no 課長 */
	assert_int_equal(rc, ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "税務課"));
	resolved(f, f->anjo, "各課の課長", "nodept", &rc, &e);
	assert_int_equal(rc, ERR_NOTFOUND);
	resolved(f, f->anjo, "各課の課長", NULL, &rc, &e);
	assert_int_equal(rc, ERR_NOTFOUND);
	/* 行政課: the department, every title; the disabled user left out */
	set(f, f->anjo, "administration", BIND_DEPT, NULL, 0, "行政課", NULL, OK);
	assert_string_equal(resolved(f, f->anjo, "行政課", "mori", &rc, &e), "ito,kato");
	set(f, f->anjo, "administration", BIND_DEPT, NULL, 0, "行政課", "課長", OK);
	assert_string_equal(resolved(f, f->anjo, "行政課", "mori", &rc, &e), "ito");
	/* named users, in order; one disabled later is left out */
	set(f, f->anjo, "digital-promotion", BIND_USERS, two, 2, NULL, NULL, OK);
	assert_string_equal(resolved(f, f->anjo, "デジタル推進課", "sato", &rc, &e), "kato,ito");
	user(f, "ito", "consultee", "行政課", "課長", 1);
	assert_string_equal(resolved(f, f->anjo, "デジタル推進課", "sato", &rc, &e), "kato");
	resolved(f, f->anjo, "行政課", "sato", &rc, &e);      /* its only 課長 is disabled now */
	assert_int_equal(rc, ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "no active user"));
	/* has */
	{
		struct app_user u = applicant(f, "sato");

		assert_int_equal(app_binding_has(&f->dep, &f->a, f->anjo, "各課の課長", &u, "kimura", &e), 1);
		assert_int_equal(app_binding_has(&f->dep, &f->a, f->anjo, "各課の課長", &u, "kato", &e), 0);
		assert_int_equal(e.code, ERR_FORBIDDEN);
		assert_non_null(strstr(e.msg, "kimura"));
		assert_int_equal(app_binding_has(&f->dep, &f->a, f->anjo, "system-manager", &u, "kimura", &e), 0);
		assert_int_equal(e.code, ERR_NOTFOUND);
	}
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	static const char *const ghost[] = { "ghost" }, *const dis[] = { "abe" }, *const twice[] = { "kato", "kato" };
	struct app_binding_spec sp = { BIND_DEPT, NULL, 0, "行政課", NULL };
	struct err e = { 0 };
	long long n0 = audit_entries(f), b0 = count(f, "binding");

	assert_int_equal(app_binding_set(&f->dep, &f->clerk, f->anjo, "行政課", &sp, NULL, &e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "admin"));
	assert_int_equal(app_binding_unset(&f->dep, &f->clerk, f->anjo, "行政課", NULL, &e), ERR_FORBIDDEN);
	set(f, f->anjo, "nobody", BIND_DEPT, NULL, 0, "行政課", NULL, ERR_NOTFOUND);
	set(f, f->anjo, "行政課", BIND_USERS, ghost, 1, NULL, NULL, ERR_NOTFOUND);
	set(f, f->anjo, "行政課", BIND_USERS, dis, 1, NULL, NULL, ERR_FORBIDDEN);
	set(f, f->anjo, "行政課", BIND_USERS, twice, 2, NULL, NULL, ERR_INVALID);
	set(f, f->anjo, "行政課", BIND_USERS, NULL, 0, NULL, NULL, ERR_INVALID);
	set(f, f->anjo, "行政課", BIND_USERS, dis, 1, NULL, "課長", ERR_INVALID);
	set(f, f->anjo, "行政課", BIND_DEPT, NULL, 0, "", NULL, ERR_INVALID);
	set(f, f->anjo, "行政課", BIND_DEPT, NULL, 0, "行政\n課", NULL, ERR_INVALID);
	set(f, f->anjo, "行政課", BIND_DEPT, NULL, 0, "\xff\xfe", NULL, ERR_INVALID);
	set(f, f->anjo, "行政課", BIND_APPLICANT_DEPT, NULL, 0, "行政課", NULL, ERR_INVALID);
	set(f, f->anjo, "行政課", 7, NULL, 0, NULL, NULL, ERR_INVALID);
	assert_int_equal(audit_entries(f), n0);
	assert_int_equal(count(f, "binding"), b0);
	/* the same binding twice: the second writes nothing */
	set(f, f->anjo, "行政課", BIND_DEPT, NULL, 0, "行政課", NULL, OK);
	assert_int_equal(audit_entries(f), n0 + 1);
	set(f, f->anjo, "行政課", BIND_DEPT, NULL, 0, "行政課", NULL, OK);
	assert_int_equal(audit_entries(f), n0 + 1);
}

static void test_config(void **state)
{
	struct fx *f = *state;
	static const char *const users[] = { "kato" };
	struct app_config_binding cb[2];
	struct app_binding b;
	const struct lval *m;
	struct err e = { 0 };
	int rc;

	memset(cb, 0, sizeof(cb));
	cb[0].pack = "anjo";
	cb[0].party = "行政課";
	cb[0].how = BIND_USERS;
	cb[0].users = (const char **)users;
	cb[0].nusers = 1;
	cb[0].line = 4;
	cb[0].col = 5;
	f->cfg.bindings = cb;
	f->cfg.nbindings = 1;
	assert_int_equal(app_binding_get(&f->dep, &f->a, f->anjo, "administration", &b, &e), OK);
	assert_int_equal(b.from_store, 0);
	assert_ptr_equal(b.config, &cb[0]);
	assert_string_equal(resolved(f, f->anjo, "行政課", "sato", &rc, &e), "kato");
	/* the store wins; the file's binding is shown as overridden */
	set(f, f->anjo, "administration", BIND_DEPT, NULL, 0, "行政課", "課長", OK);
	assert_string_equal(resolved(f, f->anjo, "行政課", "sato", &rc, &e), "ito");
	assert_int_equal(app_binding_get(&f->dep, &f->a, f->anjo, "行政課", &b, &e), OK);
	assert_int_equal(b.from_store, 1);
	assert_int_equal(b.version, 1);
	assert_string_equal(b.by, "root");
	assert_ptr_equal(b.config, &cb[0]);
	assert_int_equal(app_binding_list_model(&f->dep, &f->a, f->anjo, &m, &e), OK);
	{
		const struct lval *ps = vb_get(m, "parties"), *pt = NULL, *bm;
		uint32_t i;

		for (i = 0; i < ps->n; i++)
			if (!strcmp(vb_get_str(ps->u.arr[i], "id", ""), "administration"))
				pt = ps->u.arr[i];
		assert_non_null(pt);
		bm = vb_get(pt, "binding");
		assert_string_equal(vb_get_str(bm, "source", ""), "store");
		assert_int_equal((long long)vb_get(vb_get(bm, "overrides"), "line")->u.num, 4);
	}
	/* unset: the file's binding again */
	assert_int_equal(app_binding_unset(&f->dep, &f->admin, f->anjo, "行政課", &m, &e), OK);
	assert_string_equal(vb_get_str(m, "status", ""), "unset");
	assert_string_equal(resolved(f, f->anjo, "行政課", "sato", &rc, &e), "kato");
	assert_int_equal(app_binding_unset(&f->dep, &f->admin, f->anjo, "行政課", &m, &e), OK);
	assert_string_equal(vb_get_str(m, "status", ""), "unchanged");
	/* a party the pack does not name, a pack there is not, a party bound twice */
	cb[1] = cb[0];
	cb[1].party = "CIO補佐官";
	cb[1].line = 9;
	f->cfg.nbindings = 2;
	assert_int_equal(app_binding_get(&f->dep, &f->a, f->anjo, "行政課", &b, &e), ERR_INVALID);
	assert_int_equal(e.line, 9);
	assert_string_equal(e.file, "/etc/shinsa.yaml");
	cb[1].pack = "nara";
	cb[1].pack_line = 8;
	assert_int_equal(app_binding_get(&f->dep, &f->a, f->otokuni, "ciso", &b, &e), ERR_INVALID);
	assert_int_equal(e.line, 8);
	assert_non_null(strstr(e.msg, "otokuni"));   /* the packs there are */
	cb[1].pack = "anjo";
	cb[1].party = "administration";
	assert_int_equal(app_binding_get(&f->dep, &f->a, f->anjo, "行政課", &b, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "twice"));
	f->cfg.nbindings = 0;
}

static void test_procedure(void **state)
{
	struct fx *f = *state;
	const struct policy_procedure *r = &f->anjo->procedures[0];
	struct app_user u = applicant(f, "sato");
	struct policy_proc_ctx ctx;
	uint8_t *exempt;
	struct err e = { 0 };
	long x;

	assert_string_equal(r->id, "class-1-2");
	assert_int_equal(app_binding_check_procedure(&f->dep, &f->a, f->anjo, r, &u, NULL, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "section-chief"));
	assert_non_null(strstr(e.msg, "administration"));
	set(f, f->anjo, "section-chief", BIND_APPLICANT_DEPT, NULL, 0, NULL, "課長", OK);
	set(f, f->anjo, "system-manager", BIND_APPLICANT_DEPT, NULL, 0, NULL, "主査", OK);
	set(f, f->anjo, "digital-promotion", BIND_DEPT, NULL, 0, "行政課", NULL, OK);
	/* one missing: its own message */
	assert_int_equal(app_binding_check_procedure(&f->dep, &f->a, f->anjo, r, &u, NULL, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "shinsa bind set anjo administration"));
	/* exemption 10 applies: no consultation, so no consultee is needed */
	x = policy_exemption_index(f->anjo, "10");
	assert_true(x >= 0);
	exempt = arena_zalloc(&f->a, f->anjo->nexemptions);
	exempt[x] = 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.exempt = exempt;
	assert_int_equal(app_binding_check_procedure(&f->dep, &f->a, f->anjo, r, &u, &ctx, &e), OK);
	set(f, f->anjo, "administration", BIND_DEPT, NULL, 0, "行政課", NULL, OK);
	assert_int_equal(app_binding_check_procedure(&f->dep, &f->a, f->anjo, r, &u, NULL, &e), OK);
	/* the applicant point is informative: otokuni needs ciso and security-officer only */
	assert_int_equal(app_binding_check_procedure(&f->dep, &f->a, f->otokuni, &f->otokuni->procedures[0], &u, NULL, &e),
	                 ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "ciso"));
	assert_non_null(strstr(e.msg, "security-officer"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_procedure, setup, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_binding POLICIES_DIR\n");
		return 2;
	}
	policies = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
