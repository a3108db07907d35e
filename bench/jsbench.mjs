#!/usr/bin/env node
// JavaScript side of the shinsa JsonLogic benchmark.
//
// Engines:
//   json-logic-js                jsonLogic.apply(rule, data)
//   json-logic-engine-interp     new LogicEngine().run(rule, data)
//   json-logic-engine-built      fn = new LogicEngine().build(rule) once per rule; fn(data)
//
// Workloads:
//   a  every [rule, data, expected] case of the official tests.json, round robin
//   b  every rule of out/policy_rules.json x every document of out/facts.jsonl
//      (documents outer, rules inner), round robin
//
// Each (engine, workload) pair runs in its own child process (fresh V8, no JIT
// feedback shared between engines), single-threaded: the figure is
// evaluations/second on one core. A child first evaluates every pair once
// (correctness check + warm-up), warms up for BENCH_WARMUP seconds, then
// counts evaluations for BENCH_SECONDS seconds. An evaluation that throws is
// counted as an error and still counts as an evaluation.
//
// Every (engine, workload) is measured in BENCH_RUNS separate processes and
// the median run is reported: the JS engines' speed on workload (b) is
// bimodal from one process to the next (V8 megamorphic property-access caches
// over fact documents of many shapes, and address-space layout), so a single
// process can be off by up to 2x.
//
// Output: one machine-readable line per (engine, workload), the median run:
//   RESULT workload=<a|b> engine=<name> evals=<n> seconds=<s> evals_per_sec=<x>
// plus RUN lines (each process), CHECK lines (agreement with tests.json / with
// json-logic-js) and a table.
//
// Environment:
//   BENCH_SECONDS   timed budget per engine per workload (default 3)
//   BENCH_WARMUP    warm-up seconds before timing (default 1)
//   BENCH_RUNS      processes per engine per workload, median reported (default 3)
//   BENCH_ENGINES   comma list to restrict engines (default: all three)
//   BENCH_WORKLOADS comma list to restrict workloads (default: a,b)
//   BENCH_OFFICIAL  path of tests.json (default: ../../shared/conformance/jsonlogic/official/tests.json from here)
//   BENCH_RULES / BENCH_FACTS  paths of the workload (b) files (default: out/…)
//
// Workload (b) answers are checked against out/policy_expected.jsonl
// (json-logic-js's answers, written by gen_workload.mjs) when it exists.

import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const scriptPath = fileURLToPath(import.meta.url)
const scriptDir = path.dirname(scriptPath)

const ENGINES = ['json-logic-js', 'json-logic-engine-interp', 'json-logic-engine-built']
const ENGINE_LABEL = {
  'json-logic-js': 'json-logic-js',
  'json-logic-engine-interp': 'json-logic-engine (interpreted)',
  'json-logic-engine-built': 'json-logic-engine (built)'
}
const WORKLOADS = ['a', 'b']
const WORKLOAD_LABEL = { a: '(a) tests.json looped', b: '(b) policy rules x facts' }

const env = process.env
const SECONDS = positiveNumber(env.BENCH_SECONDS, 3, 'BENCH_SECONDS')
const WARMUP = nonNegativeNumber(env.BENCH_WARMUP, 1, 'BENCH_WARMUP')
const RUNS = positiveNumber(env.BENCH_RUNS, 3, 'BENCH_RUNS')
if (!Number.isInteger(RUNS)) die('BENCH_RUNS must be an integer')
const OFFICIAL = env.BENCH_OFFICIAL || path.resolve(scriptDir, '../../shared/conformance/jsonlogic/official/tests.json')
const RULES = env.BENCH_RULES || path.join(scriptDir, 'out', 'policy_rules.json')
const FACTS = env.BENCH_FACTS || path.join(scriptDir, 'out', 'facts.jsonl')
const EXPECTED_B = path.join(path.dirname(FACTS), 'policy_expected.jsonl')

function positiveNumber (s, dflt, name) {
  if (s === undefined || s === '') return dflt
  const x = Number(s)
  if (!(x > 0) || !Number.isFinite(x)) die(`${name} must be a positive number, got '${s}'`)
  return x
}
function nonNegativeNumber (s, dflt, name) {
  if (s === undefined || s === '') return dflt
  const x = Number(s)
  if (!(x >= 0) || !Number.isFinite(x)) die(`${name} must be a non-negative number, got '${s}'`)
  return x
}
function die (msg) {
  console.error(`jsbench: ${msg}`)
  process.exit(2)
}
function listFromEnv (s, allowed, name) {
  if (!s) return allowed
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean)
  for (const x of xs) if (!allowed.includes(x)) die(`${name}: unknown '${x}' (known: ${allowed.join(', ')})`)
  return xs
}

// ------------------------------------------------------------ workloads ----
// Both workloads become two parallel arrays: pairRule[i] (index into rules)
// and pairData[i] (the data object), evaluated in order i = 0, 1, 2, ...
function loadWorkload (w) {
  if (w === 'a') {
    if (!fs.existsSync(OFFICIAL)) die(`official suite not found: ${OFFICIAL}`)
    const suite = JSON.parse(fs.readFileSync(OFFICIAL, 'utf8'))
    const rules = []; const pairRule = []; const pairData = []; const expected = []
    for (const entry of suite) {
      if (typeof entry === 'string') continue // section heading
      const [rule, data, exp] = entry
      pairRule.push(rules.length)
      rules.push(rule)
      pairData.push(data)
      expected.push(exp)
    }
    return { rules, pairRule, pairData, expected, desc: `${rules.length} cases from ${path.relative(process.cwd(), OFFICIAL)}` }
  }
  for (const f of [RULES, FACTS]) if (!fs.existsSync(f)) die(`${f} not found (run: node gen_workload.mjs)`)
  const rules = JSON.parse(fs.readFileSync(RULES, 'utf8'))
  const docs = fs.readFileSync(FACTS, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
  const n = docs.length * rules.length
  const pairRule = new Int32Array(n); const pairData = new Array(n)
  let i = 0
  for (const doc of docs) {
    for (let r = 0; r < rules.length; r++) { pairRule[i] = r; pairData[i] = doc; i++ }
  }
  return { rules, pairRule, pairData, docs, desc: `${rules.length} rules x ${docs.length} documents` }
}

// -------------------------------------------------------------- engines ----
// Each returns eval(ruleIndex, data) plus a count of rules that failed to build.
async function makeEngine (name, rules) {
  if (name === 'json-logic-js') {
    const { default: jsonLogic } = await import('json-logic-js')
    return { buildErrors: 0, evaluate: (r, d) => jsonLogic.apply(rules[r], d) }
  }
  const { LogicEngine } = await import('json-logic-engine')
  const engine = new LogicEngine()
  if (name === 'json-logic-engine-interp') {
    // run() keeps its default behaviour, which includes the engine's own
    // per-rule-object cache of an optimised plan (a WeakMap keyed by rule).
    return { buildErrors: 0, evaluate: (r, d) => engine.run(rules[r], d) }
  }
  if (name === 'json-logic-engine-built') {
    // LogicEngine#build(rule) compiles once (synchronously) to a function
    // (data) => result. A rule that fails to build evaluates to a throw.
    let buildErrors = 0
    const fns = rules.map((rule) => {
      try {
        const fn = engine.build(rule)
        if (typeof fn !== 'function') return () => fn
        return fn
      } catch (e) {
        buildErrors++
        return () => { throw e }
      }
    })
    return { buildErrors, evaluate: (r, d) => fns[r](d) }
  }
  die(`unknown engine ${name}`)
}

// ------------------------------------------------------------- measuring ----
const CHUNK = 1024 // evaluations between clock reads
const nowSec = () => Number(process.hrtime.bigint()) / 1e9

// Fold a result into an int so V8 cannot drop the evaluation.
function fold (sink, res) {
  let h
  if (res === true) h = 1
  else if (res === false) h = 2
  else if (res === null || res === undefined) h = 3
  else if (typeof res === 'number') h = (res | 0) + 5
  else if (typeof res === 'string') h = res.length + 7
  else if (Array.isArray(res)) h = res.length + 11
  else h = 13
  return (Math.imul(sink, 31) + h) | 0
}

function timedLoop (evaluate, pairRule, pairData, budget) {
  const n = pairRule.length
  let i = 0; let evals = 0; let errors = 0; let sink = 0
  const t0 = nowSec()
  const deadline = t0 + budget
  let t = t0
  for (;;) {
    for (let k = 0; k < CHUNK; k++) {
      try {
        sink = fold(sink, evaluate(pairRule[i], pairData[i]))
      } catch {
        errors++
      }
      if (++i === n) i = 0
    }
    evals += CHUNK
    t = nowSec()
    if (t >= deadline) break
  }
  return { evals, errors, seconds: t - t0, sink }
}

function deepEqual (x, y) {
  if (x === y) return true
  if (typeof x !== typeof y || x === null || y === null || typeof x !== 'object') return false
  if (Array.isArray(x) !== Array.isArray(y)) return false
  const kx = Object.keys(x); const ky = Object.keys(y)
  if (kx.length !== ky.length) return false
  for (const k of kx) if (!deepEqual(x[k], y[k])) return false
  return true
}

async function child (engineName, w) {
  const wl = loadWorkload(w)
  const { evaluate, buildErrors } = await makeEngine(engineName, wl.rules)
  const n = wl.pairRule.length

  // One pass over every pair: results for the checks, and first warm-up.
  const results = new Array(n)
  let passErrors = 0
  for (let i = 0; i < n; i++) {
    try {
      results[i] = evaluate(wl.pairRule[i], wl.pairData[i])
    } catch (e) {
      passErrors++
      results[i] = { error: String(e && e.type ? e.type : e) }
    }
  }
  if (w === 'a') {
    let ok = 0
    for (let i = 0; i < n; i++) if (deepEqual(results[i], wl.expected[i])) ok++
    console.log(`CHECK workload=a engine=${engineName} cases=${n} match_expected=${ok} errors=${passErrors} build_errors=${buildErrors}`)
  } else {
    let t = 0; let f = 0; let other = 0
    for (const r of results) { if (r === true) t++; else if (r === false) f++; else other++ }
    const digest = crypto.createHash('sha256').update(JSON.stringify(results)).digest('hex').slice(0, 16)
    let vsExpected = 'match_expected=n/a'
    if (fs.existsSync(EXPECTED_B)) {
      const want = fs.readFileSync(EXPECTED_B, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))
      const R = wl.rules.length
      let ok = 0
      if (want.length === wl.docs.length) {
        for (let i = 0; i < n; i++) if (deepEqual(results[i], want[(i / R) | 0][i % R])) ok++
      }
      vsExpected = `match_expected=${ok}`
    }
    console.log(`CHECK workload=b engine=${engineName} pairs=${n} ${vsExpected} true=${t} false=${f} other=${other} errors=${passErrors} build_errors=${buildErrors} digest=${digest}`)
  }

  if (WARMUP > 0) timedLoop(evaluate, wl.pairRule, wl.pairData, WARMUP)
  const m = timedLoop(evaluate, wl.pairRule, wl.pairData, SECONDS)
  const eps = m.evals / m.seconds
  console.log(`RUN workload=${w} engine=${engineName} evals=${m.evals} seconds=${m.seconds.toFixed(3)} evals_per_sec=${eps.toFixed(0)} errors=${m.errors} sink=${m.sink}`)
}

// --------------------------------------------------------------- parent ----
function parent () {
  const engines = listFromEnv(env.BENCH_ENGINES, ENGINES, 'BENCH_ENGINES')
  const workloads = listFromEnv(env.BENCH_WORKLOADS, WORKLOADS, 'BENCH_WORKLOADS')
  console.log(`jsbench: node ${process.version}, ${SECONDS}s timed + ${WARMUP}s warm-up per process, median of ${RUNS} process(es) per engine per workload, one thread`)
  const results = {} // w -> engine -> eps
  const checks = {} // w -> engine -> parsed CHECK fields
  let failed = false
  // Processes are interleaved (run 1 of every engine, then run 2, ...) so that
  // a slow drift of the machine's speed hits all engines alike.
  for (const w of workloads) {
    results[w] = {}; checks[w] = {}
    const runs = {}
    const dead = new Set()
    for (let k = 0; k < RUNS; k++) {
      for (const e of engines) {
        if (dead.has(e)) continue
        const r = spawnSync(process.execPath, [scriptPath, '--child', e, w], { encoding: 'utf8', env, maxBuffer: 64 << 20 })
        if (r.stderr) process.stderr.write(r.stderr)
        if (r.status !== 0) {
          process.stdout.write(r.stdout)
          console.error(`jsbench: child ${e}/${w} failed (status ${r.status}${r.signal ? ', signal ' + r.signal : ''})`)
          failed = true
          dead.add(e)
          continue
        }
        for (const line of r.stdout.split('\n')) {
          if (line.startsWith('CHECK ') && k === 0) { console.log(line); checks[w][e] = parseFields(line) }
          if (line.startsWith('RUN ')) { console.log(line); (runs[e] ??= []).push(parseFields(line)) }
        }
      }
    }
    for (const e of engines) {
      if (dead.has(e) || !runs[e] || runs[e].length !== RUNS) continue
      const rs = runs[e].slice().sort((x, y) => Number(x.evals_per_sec) - Number(y.evals_per_sec))
      const med = rs[(RUNS - 1) >> 1]
      results[w][e] = Number(med.evals_per_sec)
      console.log(`RESULT workload=${w} engine=${e} evals=${med.evals} seconds=${med.seconds} evals_per_sec=${med.evals_per_sec}`)
      console.log(`SPREAD workload=${w} engine=${e} runs=${RUNS} min=${rs[0].evals_per_sec} median=${med.evals_per_sec} max=${rs[RUNS - 1].evals_per_sec}`)
    }
  }

  // Agreement of workload (b) results with json-logic-js.
  if (checks.b && checks.b['json-logic-js']) {
    const ref = checks.b['json-logic-js'].digest
    for (const e of engines) {
      if (e === 'json-logic-js' || !checks.b[e]) continue
      console.log(`CHECK workload=b engine=${e} same_results_as_json_logic_js=${checks.b[e].digest === ref ? 'yes' : 'NO'}`)
    }
  }

  console.log('')
  for (const w of workloads) {
    console.log(`${WORKLOAD_LABEL[w]}: evaluations/second, one core`)
    const base = results[w]['json-logic-js']
    console.log(`  ${'engine'.padEnd(34)}${'evals/s'.padStart(14)}${'vs json-logic-js'.padStart(19)}`)
    for (const e of engines) {
      const x = results[w][e]
      if (x === undefined) { console.log(`  ${ENGINE_LABEL[e].padEnd(34)}${'failed'.padStart(14)}`); continue }
      const rel = base ? (x / base).toFixed(2) + 'x' : '-'
      console.log(`  ${ENGINE_LABEL[e].padEnd(34)}${fmt(x).padStart(14)}${rel.padStart(19)}`)
    }
    console.log('')
  }
  process.exit(failed ? 1 : 0)
}

function parseFields (line) {
  const f = {}
  for (const m of line.matchAll(/(\w+)=("[^"]*"|\S+)/g)) f[m[1]] = m[2].replace(/^"|"$/g, '')
  return f
}
function fmt (x) {
  return Math.round(x).toLocaleString('en-US')
}

const ci = process.argv.indexOf('--child')
if (ci !== -1) {
  const e = process.argv[ci + 1]; const w = process.argv[ci + 2]
  if (!ENGINES.includes(e) || !WORKLOADS.includes(w)) die(`--child ENGINE WORKLOAD (engines: ${ENGINES.join(', ')}; workloads: ${WORKLOADS.join(', ')})`)
  await child(e, w)
} else {
  parent()
}
