#!/usr/bin/env python3
"""Write tests/golden/expected.tsv from what build/shinsa says today.

Use it only after a deliberate change to a pack or to the assessment, and read
every changed row (git diff) against the seed before committing: the file is the
record of what each standard decides for each example, and the last column
quotes the seed line (the criterion's requirement, the exemption or the
prohibition) that decides the verdict.
"""
import json, subprocess, sys, os
root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sh = os.environ.get('SHINSA', root + '/build/shinsa')
env = dict(os.environ, SHINSA_POLICIES=root + '/policies')
packs = {p['id']: p for p in json.loads(subprocess.check_output([sh, 'policy', 'list', '--format', 'json'], env=env))}
shows = {pid: json.loads(subprocess.check_output([sh, 'policy', 'show', pid, '--format', 'json'], env=env)) for pid in packs}
def req_text(pid, cid):
    for c in shows[pid]['criteria']:
        if c['id'] == cid:
            t = c['requirement'].replace('\n', ' ').replace('\t', ' ')
            return t[:90] + ('…' if len(t) > 90 else '')
    for g in shows[pid]['groups']:
        if g['id'] == cid:
            return g['title']
    for r in shows[pid]['risks']:
        if r['id'] == cid:
            return r['title']
    return ''
rows = []
cases = [(p[:-5], None) for p in sorted(os.listdir(root + '/examples/profiles'))]
cases += [('ismap-saas', 'answered-anjo'), ('ismap-saas', 'mynumber'), ('lgwan-asp', 'mynumber'),
          ('ismap-saas', 'secret-document'), ('ismap-saas', 'citizen-booking'), ('overseas-byok', 'citizen-booking')]
for prof, app in cases:
    cmd = [sh, 'evaluate', f'{root}/examples/profiles/{prof}.yaml', '--policy', 'all', '--format', 'json']
    if app:
        cmd += ['--app', f'{root}/examples/applications/{app}.yaml']
    out = json.loads(subprocess.check_output(cmd, env=env, stderr=subprocess.DEVNULL))
    for a in out:
        pid, lv, v = a['policy'], a['level'], a['verdict']
        unmet = sorted(f['id'] for f in a['findings'] if f['status'] == 'unmet' and f['obligation'] == 'required' and 'group' not in f)
        unmet += sorted(g['id'] for g in a['groups'] if g['status'] == 'unmet' and g['obligation'] == 'required')
        if v == 'exempt':
            why = '; '.join(e['text'] for e in a['exemptions'] if e['scope'] == 'all') or a['reason']
        elif v == 'prohibited':
            why = [h for h in a['prohibitions'] if h.get('status', 'holds') == 'holds'][0]['text']
        elif v in ('nonconforming', 'consultation'):
            why = f"{unmet[0]}「{req_text(pid, unmet[0])}」" if unmet else a['reason']
        elif v == 'incomplete':
            pend = [f['id'] for f in a['findings'] if f['status'] in ('unknown', 'manual') and f['obligation'] == 'required' and 'group' not in f]
            pend += [r['id'] for r in a['risks'] if r['status'] == 'pending' and r['obligation'] == 'required']
            pend += [h['id'] for h in a['prohibitions'] if h.get('status') == 'unknown']
            why = f"{pend[0]}「{req_text(pid, pend[0])}」は未確認" if pend else a['reason']
        else:
            note = ((a.get('procedure') or {}).get('note') or '').strip().split('\n')[0]
            why = (note[:90] + ('…' if len(note) > 90 else '')) if note else '必須の項目をすべて満たす'
        rows.append((prof, app or '-', pid, lv, v, ','.join(unmet) or '-', why))
with open(root + '/tests/golden/expected.tsv', 'w') as f:
    f.write('# profile\tapplication\tpack\tlevel\tverdict\tunmet required (criteria and groups)\tthe seed line that decides it\n')
    for r in rows:
        f.write('\t'.join(r) + '\n')
print(len(rows))
