/* app/user: the checks on logins, roles, texts and passwords; a password's
 * hash made, matched and read back (and a tampered one refused); the
 * operations on a real store, with the rules on who may; the sign-in the web
 * will use (a wrong password, an unknown login and a disabled user refused
 * alike); and the audit texts, which never hold the hash or the salt. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/auditkey.h"
#include "app/deploy.h"
#include "app/user.h"
#include "core/crypto.h"
#include "core/fmt.h"
#include "logic/json.h"
#include "logic/vb.h"
#include "store/store.h"

static void test_login_check(void **state)
{
	static const char *const good[] = { "a", "sato", "1abc", "a.b_c-d", "k.sato-2",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 */ };
	static const char *const bad[] = { "", "Sato", "-a", ".a", "_a", "a b", "a/b", "a'b", "佐藤", "a\n",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 65 */ };
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (app_user_login_check(good[i], &e))
			fail_msg("'%s' refused: %s", good[i], e.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (app_user_login_check(bad[i], &e) != ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(app_user_login_check(NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "empty"));
}

static void test_role_check(void **state)
{
	struct err e = { 0 };
	int r, i;

	(void)state;
	for (i = 0; i < ROLE_COUNT; i++) {
		assert_int_equal(app_user_role_check(app_role_name(i), &r, &e), OK);
		assert_int_equal(r, i);
		assert_true(app_role_ja(i)[0] != '\0');
	}
	assert_int_equal(app_user_role_check("Admin", &r, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "applicant, approver, consultee, manager, admin, auditor"));
	assert_non_null(strstr(e.msg, "管理者"));
	assert_int_equal(app_user_role_check(NULL, &r, &e), ERR_INVALID);
	assert_int_equal(app_user_role_check("", NULL, &e), ERR_INVALID);
	assert_string_equal(app_role_name(ROLE_COUNT), "");
	assert_int_equal(app_role_of("auditor"), ROLE_AUDITOR);
}

static void test_password_check(void **state)
{
	struct err e = { 0 };
	char big[USER_PASSWORD_MAX + 1];

	(void)state;
	assert_int_equal(app_user_password_check("", 0, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(app_user_password_check("1234567", 7, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "shorter than 8"));
	assert_int_equal(app_user_password_check("12345678", 8, &e), OK);
	/* characters, not bytes: 8 kanji pass, 7 do not (21 bytes) */
	assert_int_equal(app_user_password_check("安城市役所情報課", strlen("安城市役所情報課"), &e), OK);
	assert_int_equal(app_user_password_check("安城市役所情報", strlen("安城市役所情報"), &e), ERR_INVALID);
	assert_int_equal(app_user_password_check("abc\tdefgh", 9, &e), ERR_INVALID);
	assert_int_equal(app_user_password_check("abcd\0efgh", 9, &e), ERR_INVALID);
	assert_int_equal(app_user_password_check("abcdefg\xff", 8, &e), ERR_INVALID);
	memset(big, 'x', sizeof(big));
	assert_int_equal(app_user_password_check(big, USER_PASSWORD_MAX, &e), OK);
	assert_int_equal(app_user_password_check(big, USER_PASSWORD_MAX + 1, &e), ERR_INVALID);
	assert_int_equal(app_user_text_check("dept", "福祉課", &e), OK);
	assert_int_equal(app_user_text_check("dept", NULL, &e), OK);
	assert_int_equal(app_user_text_check("dept", "a\nb", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "--dept"));
}

static void test_password_hash(void **state)
{
	struct app_password p, q, r;
	struct err e = { 0 };
	unsigned char want[USER_HASH_BYTES];

	(void)state;
	assert_int_equal(app_password_make("correct horse", 13, 1000, &p, &e), OK);
	assert_int_equal(p.iterations, 1000);
	assert_int_equal(p.salt_len, USER_SALT_BYTES);
	/* the hash is PBKDF2-HMAC-SHA256 of the password under the salt */
	crypto_pbkdf2_sha256("correct horse", 13, p.salt, p.salt_len, 1000, want, sizeof(want));
	assert_memory_equal(p.hash, want, sizeof(want));
	assert_int_equal(app_password_match(&p, "correct horse", 13), 1);
	assert_int_equal(app_password_match(&p, "correct horsf", 13), 0);
	assert_int_equal(app_password_match(&p, "correct hors", 12), 0);
	assert_int_equal(app_password_match(&p, "correct horse ", 14), 0);
	assert_int_equal(app_password_match(&p, "", 0), 0);
	/* another salt for the same password: another hash */
	assert_int_equal(app_password_make("correct horse", 13, 1000, &q, &e), OK);
	assert_memory_not_equal(p.salt, q.salt, USER_SALT_BYTES);
	assert_memory_not_equal(p.hash, q.hash, USER_HASH_BYTES);
	assert_int_equal(app_password_match(&q, "correct horse", 13), 1);
	/* the default count */
	assert_int_equal(app_password_make("x", 1, 0, &r, &e), OK);
	assert_int_equal(r.iterations, USER_PBKDF2_ITERATIONS);
	assert_true(USER_PBKDF2_ITERATIONS >= 600000);
}

/* app_password_of on a body written as text */
static int read_pw(struct arena *a, const char *json, struct app_password *p)
{
	const struct lval *v;
	struct err e = { 0 };

	assert_int_equal(json_parse(a, json, strlen(json), &v, &e), OK);
	return app_password_of(v, p, &e);
}

static void test_password_of(void **state)
{
	static const char *const bad[] = {
		"{}",
		"{\"password\":\"x\"}",
		"{\"password\":{\"algorithm\":\"md5\",\"iterations\":1000,\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":0,\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1.5,\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1e9,\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":\"600000\",\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1000,\"salt\":\"" "00112233445566778899aabbccddee"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1000,\"salt\":\"" "00112233445566778899aabbccddeefg"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1000,\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\",\"hash\":\"" "00112233445566778899aabbccddeeff00112233445566778899aabbccddee" "\"}}",
		"{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1000,\"salt\":\"" "00112233445566778899aabbccddeeff"
		"\"}}",
	};
	struct arena a;
	struct app_password p;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(read_pw(&a, "{\"password\":{\"algorithm\":\"pbkdf2-sha256\",\"iterations\":1000,\"salt\":\""
	                             "00112233445566778899aabbccddeeff\",\"hash\":\""
	                             "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}}", &p), OK);
	assert_int_equal(p.iterations, 1000);
	assert_int_equal(p.salt_len, 16);
	assert_int_equal(p.salt[15], 0xff);
	assert_int_equal(p.hash[31], 0xff);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (read_pw(&a, bad[i], &p) != ERR_INVALID)
			fail_msg("accepted: %s", bad[i]);
	assert_int_equal(app_password_of(NULL, &p, NULL), ERR_INVALID);
	arena_release(&a);
}

/* ---- on a store ---- */

struct fx {
	char dir[64];
	struct arena a;
	struct app_config cfg;
	struct app_deploy dep;
	struct err e;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct store *s;

	assert_non_null(f);
	assert_true(fmt_snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/shinsa-user-XXXXXX") > 0);
	assert_non_null(mkdtemp(f->dir));
	arena_init(&f->a, 0);
	f->cfg.database = arena_printf(&f->a, "%s/t.db", f->dir);
	f->cfg.audit_key = arena_printf(&f->a, "%s/t.key", f->dir);
	assert_int_equal(store_open(f->cfg.database, STORE_CREATE | STORE_MIGRATE, &s, NULL, &f->e), OK);
	store_close(s);
	assert_int_equal(auditkey_create(f->cfg.audit_key, &f->e), OK);
	assert_int_equal(app_deploy_open(&f->dep, &f->a, &f->cfg, NULL, DEPLOY_AUDIT, NULL, &f->e), OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	app_deploy_close(&f->dep);
	arena_release(&f->a);
	if (fmt_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir) > 0 && system(cmd) != 0)
		fprintf(stderr, "test_user: could not remove %s\n", f->dir);
	free(f);
	return 0;
}

static void add(struct fx *f, const struct app_actor *who, const char *login, const char *role, const char *pw)
{
	struct app_user_new u = { login, role, "名前", "福祉課", "主査", pw, strlen(pw) };
	const struct lval *m;

	if (app_user_add(&f->dep, who, "cli:test", &u, &m, &f->e))
		fail_msg("add %s: %s", login, f->e.msg);
	assert_string_equal(vb_get_str(m, "action", ""), "user.add");
	assert_string_equal(vb_get_str(vb_get(m, "user"), "login", ""), login);
}

static struct app_actor as(struct fx *f, const char *login)
{
	struct app_actor a;

	if (app_actor_as(f->dep.s, &f->a, login, "cli:test", &a, &f->e))
		fail_msg("as %s: %s", login, f->e.msg);
	return a;
}

static long long audit_count(struct fx *f)
{
	long long n, first, last;

	assert_int_equal(store_audit_count(f->dep.s, &n, &first, &last, &f->e), OK);
	return n;
}

/* No audit text holds a salt or a hash. */
static int no_secret(void *arg, const struct store_audit_entry *en, struct err *e)
{
	(void)arg;
	(void)e;
	assert_null(strstr(en->before, "\"salt\""));
	assert_null(strstr(en->after, "\"salt\""));
	assert_null(strstr(en->before, "\"hash\""));
	assert_null(strstr(en->after, "\"hash\""));
	return OK;
}

static void test_operations(void **state)
{
	struct fx *f = *state;
	struct app_user_new u = { "kato", "applicant", NULL, NULL, NULL, "long enough", 11 };
	struct app_actor root, sato;
	struct app_user *users;
	const struct lval *m;
	size_t n;
	long long before;

	/* the bootstrap: only an admin, only while there is none */
	u.role = "approver";
	assert_int_equal(app_user_add(&f->dep, NULL, "cli:test", &u, &m, &f->e), ERR_FORBIDDEN);
	assert_non_null(strstr(f->e.msg, "--role admin"));
	u.password = NULL;
	assert_int_equal(app_user_add(&f->dep, NULL, "cli:test", &u, &m, &f->e), ERR_INVALID);
	assert_non_null(strstr(f->e.msg, "no default password"));
	assert_int_equal(audit_count(f), 0);
	add(f, NULL, "root", "admin", "root password");
	root = as(f, "root");
	assert_int_equal(root.user.role, ROLE_ADMIN);
	u.password = "long enough";
	u.role = "admin";
	assert_int_equal(app_user_add(&f->dep, NULL, "cli:test", &u, &m, &f->e), ERR_FORBIDDEN);
	add(f, &root, "sato", "applicant", "sato password");
	sato = as(f, "sato");
	assert_string_equal(sato.user.dept, "福祉課");
	assert_string_equal(sato.user.title, "主査");

	/* who may */
	before = audit_count(f);
	assert_int_equal(app_user_add(&f->dep, &sato, NULL, &u, &m, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_set_role(&f->dep, &sato, "sato", "admin", &m, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_disable(&f->dep, &sato, "root", &m, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_passwd(&f->dep, &sato, "root", "new password", 12, &m, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_set_role(&f->dep, &root, "root", "auditor", &m, &f->e), ERR_FORBIDDEN);
	assert_non_null(strstr(f->e.msg, "last active admin"));
	assert_int_equal(app_user_disable(&f->dep, &root, "root", &m, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_set_role(&f->dep, &root, "sato", "applicant", &m, &f->e), ERR_INVALID);
	assert_int_equal(app_user_set_role(&f->dep, &root, "nobody", "applicant", &m, &f->e), ERR_NOTFOUND);
	u.login = "sato";
	assert_int_equal(app_user_add(&f->dep, &root, NULL, &u, &m, &f->e), ERR_EXISTS);
	assert_int_equal(audit_count(f), before);

	/* a user changes their own password; the role changes; the model says what */
	assert_int_equal(app_user_passwd(&f->dep, &sato, "sato", "sato's new one", 14, &m, &f->e), OK);
	assert_string_equal(vb_get_str(m, "action", ""), "user.passwd");
	assert_int_equal(app_user_set_role(&f->dep, &root, "sato", "approver", &m, &f->e), OK);
	assert_string_equal(vb_get_str(vb_get(m, "before"), "role", ""), "applicant");
	assert_string_equal(vb_get_str(vb_get(m, "user"), "role", ""), "approver");
	assert_string_equal(vb_get_str(vb_get(m, "user"), "role_ja", ""), "承認者");
	assert_int_equal((long long)vb_get(vb_get(m, "user"), "version")->u.num, 3);
	/* an actor read before a change is read again: sato is not an admin now either */
	assert_int_equal(app_user_add(&f->dep, &sato, NULL, &u, &m, &f->e), ERR_FORBIDDEN);

	/* disable: stays, can no longer act, the login never comes back */
	assert_int_equal(app_user_disable(&f->dep, &root, "sato", &m, &f->e), OK);
	assert_string_equal(vb_get_str(vb_get(m, "user"), "state", ""), "disabled");
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "sato", "cli:test", &sato, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_add(&f->dep, &root, NULL, &u, &m, &f->e), ERR_EXISTS);
	assert_non_null(strstr(f->e.msg, "never given to anyone else"));
	assert_int_equal(app_user_disable(&f->dep, &root, "sato", &m, &f->e), ERR_INVALID);

	/* the list: every user, by login, never a password */
	assert_int_equal(app_user_list(f->dep.s, &f->a, &users, &n, &f->e), OK);
	assert_int_equal(n, 2);
	assert_string_equal(users[0].login, "root");
	assert_string_equal(users[1].login, "sato");
	assert_int_equal(users[1].disabled, 1);
	assert_int_equal(users[1].role, ROLE_APPROVER);
	m = app_user_list_model(&f->a, users, n);
	assert_int_equal(m->type, LV_ARR);
	assert_int_equal(m->n, 2);
	{
		struct buf b = BUF_INIT;

		assert_int_equal(lval_write_json(&b, m), OK);
		assert_null(strstr(buf_str(&b), "password"));
		assert_null(strstr(buf_str(&b), "salt"));
		assert_non_null(strstr(buf_str(&b), "\"state\":\"disabled\""));
		buf_free(&b);
	}
	assert_int_equal(store_audit_read(f->dep.s, 1, -1, no_secret, NULL, &f->e), OK);
	assert_int_equal(audit_count(f), before + 3);
}

static void test_sign_in(void **state)
{
	struct fx *f = *state;
	struct app_actor root;
	struct app_user u;
	const struct lval *m;
	char wrong[ERR_MSG_MAX];

	add(f, NULL, "root", "admin", "root password");
	root = as(f, "root");
	add(f, &root, "sato", "applicant", "佐藤のパスワード");
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", "佐藤のパスワード", strlen("佐藤のパスワード"), &u,
	                                  &f->e), OK);
	assert_string_equal(u.login, "sato");
	assert_int_equal(u.role, ROLE_APPLICANT);
	assert_string_equal(u.dept, "福祉課");
	/* wrong, unknown, malformed, missing: the same refusal */
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", "佐藤のパスワー", strlen("佐藤のパスワー"), &u, &f->e),
	                 ERR_FORBIDDEN);
	assert_null(u.login);
	assert_true(fmt_snprintf(wrong, sizeof(wrong), "%s", f->e.msg) > 0);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "ghost", "佐藤のパスワード", strlen("佐藤のパスワード"), &u,
	                                  &f->e), ERR_FORBIDDEN);
	assert_string_equal(f->e.msg, wrong);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "Sato X", "x", 1, &u, &f->e), ERR_FORBIDDEN);
	assert_string_equal(f->e.msg, wrong);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, NULL, "x", 1, &u, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", NULL, 0, &u, &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", "", 0, &u, &f->e), ERR_FORBIDDEN);
	/* a new password: the old one no longer works */
	assert_int_equal(app_user_passwd(&f->dep, &root, "sato", "a new password", 14, &m, &f->e), OK);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", "佐藤のパスワード", strlen("佐藤のパスワード"), &u,
	                                  &f->e), ERR_FORBIDDEN);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", "a new password", 14, &u, &f->e), OK);
	/* a disabled user, even with the right password */
	assert_int_equal(app_user_disable(&f->dep, &root, "sato", &m, &f->e), OK);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "sato", "a new password", 14, &u, &f->e), ERR_FORBIDDEN);
	assert_string_equal(f->e.msg, wrong);
	assert_int_equal(app_user_sign_in(f->dep.s, &f->a, "root", "root password", 13, &u, &f->e), OK);
	assert_int_equal(u.role, ROLE_ADMIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_check),
		cmocka_unit_test(test_role_check),
		cmocka_unit_test(test_password_check),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_password_of),
		cmocka_unit_test_setup_teardown(test_operations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_in, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
