#!/usr/bin/env node
// Deterministic generator for benchmark workload (b): "policy-shaped" JsonLogic
// rules (municipal cloud-service screening checks) and fact documents about
// candidate cloud services.
//
// Writes (relative to this script):
//   out/policy_rules.json     JSON array of rules, one rule per line
//   out/facts.jsonl           one fact document (JSON object) per line
//   out/policy_expected.jsonl json-logic-js's answers: one JSON array of the
//                             rule results per fact document, same order (needs
//                             node_modules: npm ci; skipped with a note if absent)
//
// Same bytes on every run: every random choice comes from a mulberry32 PRNG
// with a fixed seed, objects are built with a fixed key order, and nothing
// depends on time, locale or the environment.
//
// Usage: node gen_workload.mjs [--docs N]   (default 4000)

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const scriptDir = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.join(scriptDir, 'out')

const SEED = 0x5111a5a0 // "shinsa"-ish; changing it changes the workload
const ABSENT_P = 0.10 // probability that any single fact (leaf) is absent

let nDocs = 4000
{
  const i = process.argv.indexOf('--docs')
  if (i !== -1) nDocs = Number.parseInt(process.argv[i + 1], 10)
  if (!Number.isInteger(nDocs) || nDocs < 1) {
    console.error('gen_workload: --docs needs a positive integer')
    process.exit(2)
  }
}

// ---------------------------------------------------------------- PRNG ----
function mulberry32 (a) {
  return function () {
    a |= 0
    a = (a + 0x6D2B79F5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = mulberry32(SEED)
const chance = (p) => rand() < p
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)) // inclusive
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
// weighted pick: [[value, weight], ...]
function wpick (pairs) {
  let total = 0
  for (const [, w] of pairs) total += w
  let r = rand() * total
  for (const [v, w] of pairs) {
    r -= w
    if (r < 0) return v
  }
  return pairs[pairs.length - 1][0]
}
// n distinct items drawn from weighted pairs, kept in draw order
function wsample (pairs, n) {
  const pool = pairs.slice()
  const res = []
  while (res.length < n && pool.length > 0) {
    const v = wpick(pool)
    res.push(v)
    pool.splice(pool.findIndex(([x]) => x === v), 1)
  }
  return res
}

// --------------------------------------------------------------- rules ----
// About 40 screening checks. Each rule evaluates to true (pass) / false (fail)
// for one candidate service. Lists that may be absent are read with a default
// ([]) where the check would otherwise be vacuous.
const v = (p, d) => (d === undefined ? { var: p } : { var: [p, d] })
const IT = { var: '' }

const rules = [
  // R01 ISMAP registration
  { '==': [v('cert.ismap'), true] },
  // R02 ISMAP, or ISO/IEC 27001 + 27017 as an alternative
  { or: [v('cert.ismap'), { and: [v('cert.iso27001'), v('cert.iso27017')] }] },
  // R03 Japanese governing law and every primary region in Japan
  { and: [{ '==': [v('legal.governing_law'), 'JP'] }, { all: [v('data.regions', []), { '==': [IT, 'JP'] }] }] },
  // R04 every primary region in Japan or an adequacy-decision country
  { all: [v('data.regions', []), { in: [IT, ['JP', 'GB', 'IE', 'DE', 'FR', 'NL']] }] },
  // R05 no backup copies in excluded jurisdictions
  { none: [v('data.backup_regions', []), { in: [IT, ['CN', 'RU', 'KP']] }] },
  // R06 classification II/III needs a backup copy in Japan
  { if: [{ in: [v('app.classification'), ['II', 'III']] }, { some: [v('data.backup_regions', []), { '==': [IT, 'JP'] }] }, true] },
  // R07 access logs retained at least one year
  { '>=': [v('log.retention_days'), 365] },
  // R08 log retention graded by information classification
  {
    if: [
      { '==': [v('app.classification'), 'III'] }, { '>=': [v('log.retention_days'), 730] },
      { '==': [v('app.classification'), 'II'] }, { '>=': [v('log.retention_days'), 365] },
      { '>=': [v('log.retention_days', 0), 180] }
    ]
  },
  // R09 a current TLS version is offered
  { some: [v('crypto.transit.tls_versions', []), { in: [IT, ['1.2', '1.3']] }] },
  // R10 no legacy TLS version is offered
  { none: [v('crypto.transit.tls_versions', []), { in: [IT, ['1.0', '1.1']] }] },
  // R11 every offered TLS version is >= 1.2 (string comparison)
  { all: [v('crypto.transit.tls_versions', []), { '>=': [IT, '1.2'] }] },
  // R12 an approved AEAD cipher for data at rest
  { some: [v('crypto.at_rest.algorithms', []), { in: [IT, ['AES-256-GCM', 'ChaCha20-Poly1305']] }] },
  // R13 no weak cipher for data at rest
  { none: [v('crypto.at_rest.algorithms', []), { in: [IT, ['3DES', 'RC4', 'DES']] }] },
  // R14 some at-rest algorithm is a 256-bit AES variant (substring in)
  { some: [v('crypto.at_rest.algorithms', []), { in: ['AES-256', IT] }] },
  // R15 keys under customer control or in an HSM
  { in: [v('crypto.at_rest.key_management', 'provider'), ['customer', 'hsm']] },
  // R16 MFA enforced
  { '===': [v('auth.mfa'), true] },
  // R17 phishing-resistant MFA (WebAuthn) available
  { some: [v('auth.mfa_methods', []), { '===': [IT, 'webauthn'] }] },
  // R18 account lockout with a threshold between 3 and 10 attempts
  { and: [v('auth.lockout'), { '<=': [3, v('auth.lockout_threshold'), 10] }] },
  // R19 password length: 12+, or 8+ when MFA is enforced
  { or: [{ '>=': [v('auth.password_min_length', 0), 12] }, { and: [v('auth.mfa'), { '>=': [v('auth.password_min_length', 0), 8] }] }] },
  // R20 SSO federation with a standard protocol
  { some: [v('auth.sso_protocols', []), { in: [IT, ['saml2', 'oidc']] }] },
  // R21 media sanitisation per NIST SP 800-88
  { in: [v('deletion.standard'), ['nist-purge', 'nist-clear']] },
  // R22 classification III: purge + deletion certificate; otherwise any real standard
  {
    if: [
      { '==': [v('app.classification'), 'III'] },
      { and: [{ '==': [v('deletion.standard'), 'nist-purge'] }, v('deletion.certificate')] },
      { '!=': [v('deletion.standard', 'none'), 'none'] }
    ]
  },
  // R23 data returned on termination and an exit plan exists
  { and: [v('contract.data_return'), v('contract.exit_plan')] },
  // R24 breach notification within 72 hours
  { '<': [v('contract.breach_notification_hours', 9999), 72] },
  // R25 availability SLA between 99.9 % and 100 %
  { '<=': [99.9, v('contract.sla_percent'), 100] },
  // R26 subcontractors disclosed (not required for bare IaaS)
  { if: [{ '==': [v('service.model'), 'iaas'] }, true, v('contract.subcontractor_disclosure')] },
  // R27 VM hardening is the customer's job unless SaaS
  { if: [{ '==': [v('service.model'), 'saas'] }, true, v('ops.vm_hardening')] },
  // R28 security patches applied within 30 days
  { '<=': [0, v('ops.patch_days'), 30] },
  // R29 personal information: Japanese-language contract under Japanese law
  { or: [{ '!': [v('app.personal_info')] }, { and: [v('contract.japanese_language'), { '==': [v('legal.governing_law'), 'JP'] }] }] },
  // R30 My Number (specific personal information) data never leaves Japan
  {
    if: [
      v('app.my_number'),
      { and: [{ all: [v('data.regions', []), { '===': [IT, 'JP'] }] }, { none: [v('data.backup_regions', []), { '!==': [IT, 'JP'] }] }] },
      true
    ]
  },
  // R31 disputes heard by a Japanese district court (substring in)
  { or: [{ in: ['Tokyo District Court', v('legal.jurisdiction_court', '')] }, { in: ['Osaka District Court', v('legal.jurisdiction_court', '')] }] },
  // R32 round-the-clock support in Japanese
  { and: [{ '==': [v('support.hours'), '24x7'] }, { in: ['ja', v('support.languages', [])] }] },
  // R33 mandatory facts present
  { '!': [{ missing: ['service.model', 'legal.governing_law', 'data.regions', 'app.classification'] }] },
  // R34 at least two of the three ISO certifications declared
  { '!': [{ missing_some: [2, ['cert.iso27001', 'cert.iso27017', 'cert.iso27018']] }] },
  // R35 classification II/III reached over LGWAN or a dedicated line
  { if: [{ in: [v('app.classification'), ['II', 'III']] }, { or: [v('network.lgwan'), v('network.dedicated_line')] }, true] },
  // R36 access restricted by IP allow-list or closed network
  { or: [v('network.ip_allowlist'), v('network.lgwan')] },
  // R37 tamper-evident audit log kept at least 90 days
  { and: [v('log.audit'), v('log.tamper_protection'), { '>=': [v('log.retention_days'), 90] }] },
  // R38 no un-certified SaaS for classification III
  { '!': [{ and: [{ '==': [v('app.classification'), 'III'] }, { '==': [v('service.model'), 'saas'] }, { '!': [v('cert.ismap')] }] }] },
  // R39 every subprocessor is in an approved country (nested var inside none)
  { none: [v('vendor.subprocessors', []), { '!': [{ in: [v('country'), ['JP', 'US', 'GB', 'IE', 'DE', 'SG', 'AU']] }] }] },
  // R40 SLA graded by user count
  { if: [{ '>': [v('app.users', 0), 10000] }, { '>=': [v('contract.sla_percent'), 99.95] }, { '>=': [v('contract.sla_percent'), 99.5] }] },
  // R41 known delivery model (default when absent)
  { in: [v('service.model', 'unknown'), ['iaas', 'paas', 'saas']] },
  // R42 classification S (open data) or some certification at all
  { or: [{ '===': [v('app.classification'), 'S'] }, v('cert.ismap'), v('cert.iso27001'), v('cert.soc2')] }
]

// --------------------------------------------------------------- facts ----
const COUNTRIES = [['JP', 60], ['US', 12], ['SG', 7], ['IE', 5], ['DE', 5], ['GB', 3], ['AU', 3], ['KR', 2], ['CN', 1], ['IN', 1], ['RU', 0.3]]
const VENDORS = ['Sakura', 'Kasumi', 'Fujimi', 'Aozora', 'Hoshino', 'Nimbus', 'Stratus', 'Cumulo', 'Meridian', 'Northwind', 'Tsubame', 'Kirin', 'Orbit', 'Harbor', 'Yamabiko']
const PRODUCTS = ['Cloud', 'Drive', 'Desk', 'Forms', 'Mail', 'Compute', 'Kintone-like', 'Archive', 'Portal', 'Analytics', 'Backup', 'Chat']
const COURTS = ['Tokyo District Court', 'Osaka District Court', 'Nagoya District Court', 'Superior Court of California', 'Supreme Court of the State of New York', 'High Court of Singapore', 'High Court of Ireland']
const LAW_FOR_COURT = ['JP', 'JP', 'JP', 'US-CA', 'US-NY', 'SG', 'IE']

// One candidate service. q in [0,1) is a hidden "maturity" that correlates the
// answers, so that rules pass and fail at varied but plausible rates.
function makeDoc (i) {
  const q = rand()
  const yes = (base) => chance(Math.min(0.97, base + 0.6 * q))
  const domestic = chance(0.45 + 0.4 * q)

  const model = wpick([['saas', 55], ['paas', 20], ['iaas', 25]])
  const courtIdx = domestic ? int(0, 2) : int(0, COURTS.length - 1)

  const nRegions = wpick([[1, 55], [2, 30], [3, 15]])
  const regions = domestic && chance(0.8) ? ['JP'].concat(wsample(COUNTRIES.slice(1), nRegions - 1).filter(() => chance(0.4))) : wsample(COUNTRIES, nRegions)
  const nBackup = wpick([[0, 15], [1, 45], [2, 30], [3, 10]])
  const backup = wsample(COUNTRIES, nBackup)

  const tls = []
  if (chance(0.35 - 0.3 * q)) tls.push('1.0')
  if (chance(0.45 - 0.35 * q)) tls.push('1.1')
  if (chance(0.92)) tls.push('1.2')
  if (chance(0.3 + 0.6 * q)) tls.push('1.3')
  if (tls.length === 0) tls.push(pick(['1.1', '1.2']))

  const algos = wsample([['AES-256-GCM', 50], ['AES-128-GCM', 15], ['AES-256-CBC', 15], ['ChaCha20-Poly1305', 8], ['AES-256-XTS', 8], ['3DES', 2 + 6 * (1 - q)], ['RC4', 1 * (1 - q)]], wpick([[1, 60], [2, 30], [3, 10]]))

  const mfaMethods = wsample([['totp', 50], ['sms', 25], ['webauthn', 15 + 30 * q], ['push', 15]], int(0, 3))
  const sso = wsample([['saml2', 50], ['oidc', 35], ['ldap', 10], ['ws-fed', 5]], int(0, 2))

  const subs = []
  for (let k = int(0, 3); k > 0; k--) {
    subs.push({ name: `${pick(VENDORS)} ${pick(['KK', 'Inc.', 'Ltd.', 'GmbH', 'Pte. Ltd.'])}`, country: wpick(COUNTRIES), role: pick(['hosting', 'support', 'backup', 'cdn', 'email']) })
  }

  const classification = wpick([['S', 10], ['I', 35], ['II', 40], ['III', 15]])
  const personal = classification !== 'S' && chance(0.6)

  // Nested fact document; the leaf order here is the key order in the output.
  return {
    service: {
      id: `svc-${String(i + 1).padStart(5, '0')}`,
      name: `${pick(VENDORS)} ${pick(PRODUCTS)} ${int(1, 9)}.${int(0, 9)}`,
      model
    },
    vendor: {
      country: domestic ? 'JP' : wpick(COUNTRIES),
      employees: int(5, 200000),
      subprocessors: subs
    },
    cert: {
      ismap: yes(0.15),
      ismap_liu: model === 'saas' && yes(0.05),
      iso27001: yes(0.35),
      iso27017: yes(0.2),
      iso27018: yes(0.1),
      soc2: !domestic && yes(0.3)
    },
    legal: {
      governing_law: domestic ? 'JP' : LAW_FOR_COURT[courtIdx],
      jurisdiction_court: COURTS[courtIdx]
    },
    data: {
      regions,
      backup_regions: backup,
      residency_guarantee: domestic && yes(0.3)
    },
    crypto: {
      transit: { tls_versions: tls, hsts: yes(0.4) },
      at_rest: { algorithms: algos, key_management: wpick([['provider', 60], ['customer', 25], ['hsm', 15]]) }
    },
    auth: {
      mfa: yes(0.35),
      mfa_methods: mfaMethods,
      lockout: yes(0.4),
      lockout_threshold: int(3, 20),
      password_min_length: int(6, 16),
      sso_protocols: sso
    },
    log: {
      retention_days: int(30, 800),
      audit: yes(0.45),
      tamper_protection: yes(0.2)
    },
    deletion: {
      standard: wpick([['nist-purge', 20 + 30 * q], ['nist-clear', 25], ['vendor', 30], ['none', 10 * (1 - q) + 2]]),
      certificate: yes(0.2)
    },
    contract: {
      data_return: yes(0.5),
      exit_plan: yes(0.3),
      audit_rights: yes(0.25),
      subcontractor_disclosure: yes(0.35),
      japanese_language: domestic ? yes(0.6) : yes(0.05),
      breach_notification_hours: pick([24, 48, 72, 72, 168]),
      sla_percent: wpick([[99.0, 10], [99.5, 25], [99.9, 35], [99.95, 20], [99.99, 10]])
    },
    ops: {
      vm_hardening: yes(0.3),
      patch_days: int(1, 90),
      vuln_scan: yes(0.4)
    },
    network: {
      lgwan: domestic && yes(0.1),
      dedicated_line: yes(0.05),
      ip_allowlist: yes(0.3)
    },
    support: {
      hours: wpick([['24x7', 35], ['business', 55], ['none', 10]]),
      languages: domestic ? (chance(0.3) ? ['ja', 'en'] : ['ja']) : (chance(0.3) ? ['en', 'ja'] : ['en'])
    },
    app: {
      classification,
      personal_info: personal,
      my_number: personal && chance(0.15),
      users: int(10, 50000)
    }
  }
}

// Drop each leaf with probability ABSENT_P (the service id always stays);
// an object left empty is dropped as well.
function dropFacts (obj, top = true) {
  const out = {}
  for (const key of Object.keys(obj)) {
    const val = obj[key]
    if (top && key === 'service') {
      const s = dropFacts(val, false)
      out.service = { id: val.id, ...s } // id first, never absent
      continue
    }
    if (val !== null && typeof val === 'object' && !Array.isArray(val)) {
      const sub = dropFacts(val, false)
      if (Object.keys(sub).length > 0) out[key] = sub
    } else if (!chance(ABSENT_P)) {
      out[key] = val
    }
  }
  return out
}

// ---------------------------------------------------------------- main ----
const lines = []
const seen = new Set()
for (let i = 0; lines.length < nDocs; i++) {
  if (i > nDocs * 10) throw new Error('gen_workload: cannot make enough distinct documents')
  const doc = dropFacts(makeDoc(lines.length))
  // Distinct apart from the id: regenerate on a (very unlikely) collision.
  const { id, ...rest } = doc.service
  const key = JSON.stringify({ ...doc, service: rest })
  if (seen.has(key)) continue
  seen.add(key)
  lines.push(JSON.stringify(doc))
}

fs.mkdirSync(outDir, { recursive: true })
const rulesText = '[\n' + rules.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n'
fs.writeFileSync(path.join(outDir, 'policy_rules.json'), rulesText)
fs.writeFileSync(path.join(outDir, 'facts.jsonl'), lines.join('\n') + '\n')
const rel = (f) => path.relative(process.cwd(), path.join(outDir, f))
console.log(`gen_workload: wrote ${rules.length} rules to ${rel('policy_rules.json')} and ${lines.length} fact documents to ${rel('facts.jsonl')}`)

// Reference answers from json-logic-js, for checking other engines. The rules
// and documents are re-read from the files just written, as any engine would.
const expectedPath = path.join(outDir, 'policy_expected.jsonl')
let jsonLogic = null
try {
  jsonLogic = (await import('json-logic-js')).default
} catch {
  fs.rmSync(expectedPath, { force: true })
  console.log('gen_workload: json-logic-js not installed (npm ci), so no policy_expected.jsonl')
}
if (jsonLogic) {
  const rr = JSON.parse(rulesText)
  const expected = lines.map((l) => {
    const doc = JSON.parse(l)
    return JSON.stringify(rr.map((r) => jsonLogic.apply(r, doc)))
  })
  fs.writeFileSync(expectedPath, expected.join('\n') + '\n')
  console.log(`gen_workload: wrote json-logic-js's answers to ${rel('policy_expected.jsonl')}`)
}
