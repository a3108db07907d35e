#!/usr/bin/env node
// Side-by-side table from the RESULT lines of the C benchmark (bench_logic)
// and of jsbench.mjs:
//   RESULT workload=<a|b> engine=<name> evals=<n> seconds=<s> evals_per_sec=<x>
//
// Usage: node report.mjs FILE...   (files that do not exist are skipped)
// An engine with several RESULT lines (one per round of run.sh) is given the
// median of them.
// Prints the table, then one machine-readable line per ratio:
//   RATIO workload=<a|b> shinsa_over=<engine> value=<x> target=<t|-> met=<yes|no|->

import fs from 'node:fs'

// 'shinsa': on (b) the 42 rules compiled as one rule set (logic_set_compile),
// the documents bound 64 at a time (logic_batch_bind) and every rule evaluated
// over each batch (logic_batch_values); on (a) each case is its own rule
// (logic_eval). 'shinsa-bound': (b) with each document bound alone and every
// rule evaluated against it (logic_eval_bound). 'shinsa-per-rule': (b) with
// every pair through logic_eval alone.
const ENGINES = [
  ['shinsa', 'shinsa (C)'],
  ['shinsa-bound', 'shinsa (C), a document at a time'],
  ['shinsa-per-rule', 'shinsa (C), rule by rule'],
  ['json-logic-js', 'json-logic-js'],
  ['json-logic-engine-interp', 'json-logic-engine (interpreted)'],
  ['json-logic-engine-built', 'json-logic-engine (built)']
]
const WORKLOADS = [
  ['a', '(a) tests.json looped'],
  ['b', '(b) policy rules x facts']
]
// Targets from the issue: shinsa / other engine, at least.
const TARGETS = {
  a: { 'json-logic-engine-built': 1 },
  b: { 'json-logic-js': 30, 'json-logic-engine-built': 3 }
}

const all = {} // workload -> engine -> [evals/s, ...]
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('RESULT ')) continue
    const f = {}
    for (const m of line.matchAll(/(\w+)=(\S+)/g)) f[m[1]] = m[2]
    const x = Number(f.evals_per_sec)
    if (!f.workload || !f.engine || !Number.isFinite(x)) continue
    ;((all[f.workload] ??= {})[f.engine] ??= []).push(x)
  }
}
const median = (xs) => {
  const s = [...xs].sort((p, q) => p - q)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const eps = {} // workload -> engine -> median evals/s
for (const [w, engines] of Object.entries(all))
  for (const [e, xs] of Object.entries(engines)) (eps[w] ??= {})[e] = median(xs)

const fmt = (x) => Math.round(x).toLocaleString('en-US')
const out = []
const ratios = []
out.push('evaluations/second on one core (higher is better); ratio = shinsa / engine')
for (const [w, label] of WORKLOADS) {
  const row = eps[w] || {}
  out.push('')
  out.push(label)
  out.push(`  ${'engine'.padEnd(34)}${'evals/s'.padStart(14)}${'shinsa / engine'.padStart(18)}${'target'.padStart(9)}`)
  const c = row.shinsa
  for (const [e, name] of ENGINES) {
    const x = row[e]
    const t = TARGETS[w][e]
    let ratio = '-'; let target = t ? `>=${t}x` : ''; let met = '-'
    if (x !== undefined && c !== undefined && !e.startsWith('shinsa')) {
      const r = c / x
      ratio = r.toFixed(2) + 'x'
      if (t) { met = r >= t ? 'yes' : 'no'; target += met === 'yes' ? ' ok' : ' MISSED' }
      ratios.push(`RATIO workload=${w} shinsa_over=${e} value=${r.toFixed(3)} target=${t || '-'} met=${met}`)
    }
    out.push(`  ${name.padEnd(34)}${(x === undefined ? 'n/a' : fmt(x)).padStart(14)}${ratio.padStart(18)}${target.padStart(9 + (target.length > 8 ? target.length - 8 : 0))}`)
  }
  if (c === undefined) out.push('  (no shinsa figure: the C benchmark did not run, so no ratios)')
}
console.log(out.join('\n'))
if (ratios.length) console.log('\n' + ratios.join('\n'))
