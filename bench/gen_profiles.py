#!/usr/bin/env python3
"""Generate N varied service profiles (deterministic) for the matrix benchmark.

    python3 bench/gen_profiles.py N OUTDIR

Each profile uses the fact vocabulary (policies/vocabulary.yaml); about a tenth of
the facts are left out, as in real vendor answers.
"""
import json, os, random, sys

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = random.Random(20261122)
B = lambda p=0.8: rng.random() < p
def maybe(d, k, v, p=0.9):
    if rng.random() < p:
        d[k] = v
countries = ["JP"] * 6 + ["US", "IE", "DE", "SG", "GB"]
algs_rest = [["AES-256-GCM"], ["AES-128-CBC"], ["Camellia-256-CBC"], ["3DES"], ["AES-256-XTS"], ["ChaCha20-Poly1305"]]
algs_transit = [["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"], ["ECDHE-RSA-AES128-GCM-SHA256"],
                ["TLS_RSA_WITH_3DES_EDE_CBC_SHA"], ["TLS_CHACHA20_POLY1305_SHA256"]]
for i in range(n):
    home = rng.choice(countries)
    p = {}
    s = {"name": f"サービス{i:05d}", "provider": f"事業者{i % 997:03d}"}
    maybe(s, "model", rng.choice(["saas"] * 6 + ["paas", "iaas"]))
    maybe(s, "category", rng.choice(["general"] * 5 + ["web-conference", "video-storage", "map", "other"]))
    for k, pr in (("ga", .95), ("public_cloud", .85), ("lgwan_asp", .1), ("government_led", .05), ("government_cloud", .1)):
        maybe(s, k, B(pr))
    p["service"] = s
    p["cert"] = {}
    for k, pr in (("ismap", .35), ("ismap_liu", .1), ("iso27001", .8), ("iso27017", .5), ("iso27018", .3), ("soc2", .3), ("jasa_cloud", .1)):
        maybe(p["cert"], k, B(pr))
    p["legal"] = {}
    maybe(p["legal"], "governing_law", home)
    maybe(p["legal"], "jurisdiction", home)
    maybe(p["legal"], "customer_owns_data", B(.9))
    d = {}
    maybe(d, "regions", sorted({home} | ({rng.choice(countries)} if B(.2) else set())))
    maybe(d, "backup_regions", [home] if B(.8) else [home, rng.choice(countries)])
    maybe(d, "ops_regions", [home])
    for k, pr in (("redundant_sites", .7), ("overseas_consent", .1), ("byok", .2)):
        maybe(d, k, B(pr))
    p["data"] = d
    p["crypto"] = {"transit": {}, "at_rest": {}}
    maybe(p["crypto"]["transit"], "method", rng.choice(["tls"] * 8 + ["vpn", "closed-network"]))
    maybe(p["crypto"]["transit"], "tls_versions", rng.choice([["1.2", "1.3"], ["1.2"], ["1.0", "1.1", "1.2"]]))
    maybe(p["crypto"]["transit"], "algorithms", rng.choice(algs_transit))
    maybe(p["crypto"]["at_rest"], "encrypted", B(.85))
    maybe(p["crypto"]["at_rest"], "algorithms", rng.choice(algs_rest))
    maybe(p["crypto"], "key_lifecycle_documented", B(.5))
    p["network"] = {}
    maybe(p["network"], "closed_line", B(.2))
    p["auth"] = {}
    for k in ("mfa", "two_step", "lockout", "access_control", "network_restriction", "id_federation", "admin_strong_auth", "misoperation_guard"):
        maybe(p["auth"], k, B(.75))
    p["log"] = {}
    for k in ("available", "time_sync", "timezone_unified", "customer_access"):
        maybe(p["log"], k, B(.85))
    maybe(p["log"], "retention_days", rng.choice([30, 90, 180, 365, 400, 730, 1825]))
    p["deletion"] = {}
    maybe(p["deletion"], "standard", rng.choice(["nist-purge", "nist-clear", "nist-destroy", "iso27001", "vendor", "none"]))
    maybe(p["deletion"], "on_disposal_standard", rng.choice(["nist-purge", "nist-destroy", "vendor"]))
    for k in ("certificate", "includes_backups", "special_accounts"):
        maybe(p["deletion"], k, B(.6))
    p["contract"] = {}
    for k in ("recovery_terms", "availability_sla", "purpose_limitation", "change_control", "incident_terms",
              "verification_terms", "remedy_terms", "terms_change_notice", "nda", "damages", "end_notice",
              "data_migration", "subcontract_control", "ownership_disclosure", "terms_equivalent"):
        maybe(p["contract"], k, B(.8))
    p["ops"] = {}
    for k in ("backup", "intrusion_monitoring", "vuln_management", "tenant_isolation", "vm_hardening", "status_page",
              "admin_runbooks", "incident_contact", "evidence_preservation", "staff_training", "responsibility_matrix"):
        maybe(p["ops"], k, B(.8))
    p["support"] = {}
    maybe(p["support"], "japanese", B(.8))
    with open(os.path.join(out, f"p{i:05d}.json"), "w", encoding="utf-8") as f:
        json.dump(p, f, ensure_ascii=False)
