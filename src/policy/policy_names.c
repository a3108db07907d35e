/* The fixed names the packs and every report share: the topics (DESIGN
 * §2.3) with their Japanese and English labels, obligations, phases, what an
 * unmet criterion leads to, and the fact types. Defined here once; the
 * loader, the models and every view read them from here. */
#include "policy/policy_int.h"

#include <string.h>

/* One row per topic, in the order of DESIGN §2.3 (bit i of a criterion's
 * topics is row i): the name packs use, the Japanese and the English label.
 * Written once; both tables below are made from it. */
#define TOPICS(X) \
	X("law", "準拠法", "governing law") \
	X("jurisdiction", "裁判管轄", "jurisdiction") \
	X("data-location", "データの保存場所", "data location") \
	X("certification", "第三者認証", "certification") \
	X("encryption-transit", "通信の暗号化", "encryption in transit") \
	X("encryption-at-rest", "保存データの暗号化", "encryption at rest") \
	X("key-management", "鍵管理", "key management") \
	X("mfa", "多要素認証", "multi-factor authentication") \
	X("lockout", "アカウントロック", "account lockout") \
	X("access-control", "アクセス制御", "access control") \
	X("network-restriction", "接続元の制限", "network restriction") \
	X("logging", "ログ", "logging") \
	X("log-retention", "ログの保存期間", "log retention") \
	X("time-sync", "時刻同期", "time synchronisation") \
	X("deletion", "データの消去", "data deletion") \
	X("contract", "契約", "contract") \
	X("sla", "SLA", "SLA") \
	X("incident", "インシデント対応", "incident response") \
	X("purpose-limitation", "目的外利用の禁止", "purpose limitation") \
	X("change-control", "変更管理", "change control") \
	X("subcontracting", "再委託", "subcontracting") \
	X("backup", "バックアップ", "backup") \
	X("monitoring", "監視", "monitoring") \
	X("vulnerability", "脆弱性対策", "vulnerability management") \
	X("isolation", "利用者の分離", "tenant isolation") \
	X("termination", "利用終了", "end of use") \
	X("personal-data", "個人情報", "personal data") \
	X("support", "サポート", "support") \
	X("consultation", "協議", "consultation")

#define TOPIC_ROW(name, ja, en) { name, ja, en },
#define TOPIC_NAME(name, ja, en) name,

static const struct policy_topic topics[] = { TOPICS(TOPIC_ROW) };

/* The names alone, for callers that index them (policy_topics[i]). */
const char *const policy_topics[] = { TOPICS(TOPIC_NAME) };
const size_t policy_ntopics = sizeof(policy_topics) / sizeof(policy_topics[0]);

#define NTOPICS (sizeof(topics) / sizeof(topics[0]))

_Static_assert(NTOPICS <= 32, "a criterion's topics are bits of a uint32_t");

const struct policy_topic *policy_topic(size_t i)
{
	return i < NTOPICS ? &topics[i] : NULL;
}

long policy_topic_index(const char *name)
{
	size_t i;

	for (i = 0; i < NTOPICS; i++)
		if (!strcmp(topics[i].name, name))
			return (long)i;
	return -1;
}

const char *policy_topic_ja(size_t i)
{
	return i < NTOPICS ? topics[i].ja : "";
}

const char *const policy_ob_names[4] = { "not-applicable", "optional", "recommended", "required" };
static const char *const ob_ja[4] = { "対象外", "任意", "推奨", "必須" };
const char *const policy_phase_names[PH_TERMINATION + 1] = { "", "selection", "contract", "build",
	"operation", "termination" };
static const char *const phase_jas[PH_TERMINATION + 1] = { "", "選定", "契約", "導入・構築",
	"運用・保守", "更改・廃棄" };
const char *const policy_unmet_names[4] = { "consultation", "reject", "accept-risk", "unspecified" };

const char *policy_obligation_name(int ob) { return policy_ob_names[ob & 3]; }
const char *policy_obligation_ja(int ob) { return ob_ja[ob & 3]; }
const char *policy_phase_name(int ph) { return ph >= 0 && ph <= PH_TERMINATION ? policy_phase_names[ph] : ""; }
const char *policy_phase_ja(int ph) { return ph >= 0 && ph <= PH_TERMINATION ? phase_jas[ph] : ""; }

int policy_obligation_of(const char *name)
{
	int i;

	for (i = 0; name && i < 4; i++)
		if (!strcmp(name, policy_ob_names[i]))
			return i;
	return -1;
}

int policy_phase_of(const char *name)
{
	int i;

	for (i = PH_SELECTION; name && i <= PH_TERMINATION; i++)
		if (!strcmp(name, policy_phase_names[i]))
			return i;
	return PH_NONE;
}

static const char *const fact_types[] = { "string", "bool", "integer", "date", "enum", "list", "country", NULL };
static const char *const fact_types_ja[] = { "文字列", "はい／いいえ", "整数", "日付", "選択", "一覧", "国コード" };

const char *policy_fact_type_name(int type)
{
	return type >= 0 && type <= FT_COUNTRY ? fact_types[type] : "string";
}

const char *policy_fact_type_ja(int type)
{
	return type >= 0 && type <= FT_COUNTRY ? fact_types_ja[type] : fact_types_ja[FT_STRING];
}

int policy_fact_type_of(const char *s)
{
	int i;

	for (i = 0; s && fact_types[i]; i++)
		if (!strcmp(s, fact_types[i]))
			return i;
	return -1;
}
