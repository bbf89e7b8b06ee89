// One quality report over every labelled fixture (issue 16): message kinds and
// extracted bodies of the corpus, the sisimai samples (as received and with
// their evidence thinned out), letters forwarded as attachments, reply
// trimming, article matching (precision and coverage at the default
// threshold), campaign clustering (pairwise precision and recall, template and
// talking-point). Rows marked "held back" are letters and mail the methods
// were not tuned on (test/fixtures/held-back).
//
//   node scripts/eval.ts                 the table
//   node scripts/eval.ts --extra DIR...  also classify the .eml files of DIR
//                                        (expected kind from the sisimai file
//                                        name: rfc3834-* autoreply, is-not-* letter,
//                                        else bounce)
//
// Pure: reads fixtures, writes the table to stdout, no network, no database.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ArticleIndex } from '../src/matching/article-index.ts';
import { DEFAULT_MATCH_THRESHOLD, matchArticle } from '../src/matching/match.ts';
import { readInbound, trimReply } from '../src/mail/index.ts';
import { CampaignIndex, type CampaignKind } from '../src/screening/campaigns.ts';
import { letterAsMail } from '../test/mail/build.ts';
import { withGarbledText, withoutReport, withoutText } from '../test/mail/degrade.ts';
import { isHeldBack, labelledLetters, matchingArticles, newLetters, type LabelledLetter } from '../test/matching/labelled.ts';
import { loadMails, OWN_ADDRESSES } from '../test/screening/corpus.ts';

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');
const rows: [string, string, string, string][] = [];
const row = (area: string, set: string, figure: string, value: string) => rows.push([area, set, figure, value]);
const share = (a: number, b: number) => `${a}/${b} (${b ? ((100 * a) / b).toFixed(1) : '100.0'}%)`;

// --- kinds and bodies of the labelled corpus ----------------------------------------

type Label = { file: string; kind: string; mustContain: string[]; mustNotContain: string[]; writerName: string; writerEmail: string };
const labels: Label[] = readFileSync(join(FIXTURES, 'corpus', 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
{
  let kindRight = 0;
  let lettersAsMachine = 0;
  let machineAsLetter = 0;
  let snippetsIn = 0;
  let snippetsAll = 0;
  let strippedOk = 0;
  let strippedAll = 0;
  let writersRight = 0;
  let letters = 0;
  for (const l of labels) {
    const r = await readInbound(new Uint8Array(readFileSync(join(FIXTURES, 'corpus', 'mail', l.file))), { ownAddresses: OWN_ADDRESSES, ownDomain: 'review.example.com' });
    if (!r.ok) continue;
    // Spam is decided by the screening scorer: the mail layer sees a letter.
    const expected = l.kind === 'spam' ? 'letter' : l.kind;
    if (r.kind === expected) kindRight++;
    if (expected === 'letter' && r.kind !== 'letter') lettersAsMachine++;
    if (expected !== 'letter' && r.kind === 'letter') machineAsLetter++;
    if (l.kind !== 'letter') continue;
    letters++;
    for (const s of l.mustContain) {
      snippetsAll++;
      if (r.body.includes(s)) snippetsIn++;
    }
    for (const s of l.mustNotContain) {
      strippedAll++;
      if (!r.body.includes(s)) strippedOk++;
    }
    if (r.writer.name === l.writerName && r.writer.email === l.writerEmail) writersRight++;
  }
  row('kinds', 'corpus mail (40)', 'kind as labelled', share(kindRight, labels.length));
  row('kinds', 'corpus mail (40)', 'letters taken for machine mail', String(lettersAsMachine));
  row('kinds', 'corpus mail (40)', 'machine mail taken for letters', String(machineAsLetter));
  row('bodies', 'corpus letters', 'snippets kept (mustContain)', share(snippetsIn, snippetsAll));
  row('bodies', 'corpus letters', 'quotes/signatures removed (mustNotContain)', share(strippedOk, strippedAll));
  row('bodies', 'corpus letters', 'writer credited as labelled', share(writersRight, letters));
}

// --- new labelled letters sent as mail: still letters, body and writer kept --------------
for (const [name, list] of [['tuned', newLetters('tuned')], ['held back', newLetters('held back')]] as const) {
  let ok = 0;
  for (const l of list) {
    const r = await readInbound(letterAsMail({ ...l, subject: l.subject ?? '', date: String(l.date) }), { ownAddresses: OWN_ADDRESSES });
    const first = l.body.split('\n').find((x) => x.trim().length > 20)!.slice(0, 40);
    if (r.ok && r.kind === 'letter' && r.body.includes(first) && r.writer.email === l.email) ok++;
  }
  row('kinds', `new letters as mail (${name})`, 'letters with their text and writer', share(ok, list.length));
}

// --- letters forwarded as attachments -----------------------------------------------------
{
  const dir = join(FIXTURES, 'forwarded');
  const expected: Record<string, string> = {
    'thunderbird-attached-message.eml': 'm.ellison@example.org',
    'gmail-forward-as-attachment.eml': 'tomas.varga@example.com',
    'outlook-eml-file.eml': 'rdelgado@example.org',
    'apple-mail-inline-message.eml': 'd.okoye@example.net',
  };
  let ok = 0;
  for (const [f, writer] of Object.entries(expected)) {
    const r = await readInbound(new Uint8Array(readFileSync(join(dir, f))), { ownAddresses: OWN_ADDRESSES });
    if (r.ok && r.kind === 'letter' && r.writer.email === writer && r.coveringNote && !r.body.includes(r.coveringNote.slice(0, 20))) ok++;
  }
  row('bodies', 'forwarded as attachment (4 clients)', 'original writer, letter and covering note', share(ok, Object.keys(expected).length));
}

// --- sisimai samples: bounces, feedback reports, auto-replies --------------------------------
function expectedKind(file: string): string {
  if (file.startsWith('rfc3834-')) return 'autoreply';
  if (file.startsWith('is-not-')) return 'letter';
  return 'bounce';
}
async function classifyDir(dir: string, set: string): Promise<void> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  for (const [variant, make] of [
    ['as received', null],
    ['no readable text', withoutText],
    ['undecodable text', withGarbledText],
    ['no report parts', withoutReport],
  ] as const) {
    let exact = 0;
    let wrongLetters = 0;
    let machines = 0;
    for (const f of files) {
      let raw: Uint8Array = new Uint8Array(readFileSync(join(dir, f)));
      if (make) raw = make(raw);
      const r = await readInbound(raw);
      const want = expectedKind(f);
      const kind = r.ok ? r.kind : 'quarantined';
      if (kind === want) exact++;
      if (want !== 'letter') {
        machines++;
        if (kind === 'letter' || kind === 'quarantined') wrongLetters++;
      }
    }
    row('set-of-emails', `${set}, ${variant}`, 'exact kind', share(exact, files.length));
    row('set-of-emails', `${set}, ${variant}`, 'machine mail taken for a letter', `${wrongLetters}/${machines}`);
  }
}
await classifyDir(join(FIXTURES, 'set-of-emails'), 'tuned (290)');
await classifyDir(join(FIXTURES, 'held-back', 'set-of-emails'), 'held back (25)');
const extra = process.argv.indexOf('--extra');
if (extra >= 0) for (const dir of process.argv.slice(extra + 1)) await classifyDir(dir, `extra ${dir}`);

// --- reply trimming -------------------------------------------------------------------------
{
  const dir = join(FIXTURES, 'email_reply_trimmer');
  const norm = (s: string) => s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\s+$/, '');
  const files = readdirSync(join(dir, 'emails')).filter((f) => f.endsWith('.txt'));
  let exact = 0;
  for (const f of files) if (norm(trimReply(readFileSync(join(dir, 'emails', f), 'utf8'))) === norm(readFileSync(join(dir, 'trimmed', f), 'utf8'))) exact++;
  row('trimming', 'email_reply_trimmer (64)', 'exact', share(exact, files.length));
}

// --- article matching ---------------------------------------------------------------------------
{
  const index = new ArticleIndex(matchingArticles());
  const letters = await labelledLetters();
  const groups = new Map<string, LabelledLetter[]>();
  for (const l of letters) {
    const key = `${isHeldBack(l) ? 'held back: ' : ''}${l.set.replace('held-back/', '')}${l.group ? ` ${l.group}` : ''}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(l);
  }
  const totals = { tuned: [0, 0, 0, 0], 'held back': [0, 0, 0, 0] };
  for (const [key, list] of [...groups].sort((a, b) => (a[0].startsWith('held') ? 1 : 0) - (b[0].startsWith('held') ? 1 : 0) || a[0].localeCompare(b[0]))) {
    let matchable = 0;
    let right = 0;
    let auto = 0;
    for (const l of list) {
      const r = matchArticle(index, { subject: l.subject, body: l.body, receivedAt: l.date });
      if (l.article) matchable++;
      if (r.articleId) auto++;
      if (r.articleId && r.articleId === l.article) right++;
    }
    const t = totals[key.startsWith('held') ? 'held back' : 'tuned'];
    t[0]! += list.length;
    t[1]! += matchable;
    t[2]! += auto;
    t[3]! += right;
    const wrong = auto - right;
    row('matching', key, `precision / coverage (${list.length} letters)`, `${auto ? (right / auto).toFixed(3) : '-'} / ${matchable ? (right / matchable).toFixed(3) : '-'}${wrong ? `, ${wrong} wrong` : ''}${matchable === 0 ? `, ${auto} matched of ${list.length} about no article` : ''}`);
  }
  for (const [name, [n, matchable, auto, right]] of Object.entries(totals)) {
    row('matching', `all ${name} (threshold ${DEFAULT_MATCH_THRESHOLD})`, `precision / coverage (${n} letters)`, `${(right! / Math.max(1, auto!)).toFixed(3)} / ${(right! / Math.max(1, matchable!)).toFixed(3)} (${right}/${matchable} matched, ${auto! - right!} wrong)`);
  }
}

// --- campaigns ------------------------------------------------------------------------------------
{
  const letters = (await labelledLetters()).filter((l) => l.set !== 'corpus-form');
  for (const m of await loadMails()) {
    if (m.label.kind === 'spam') letters.push({ id: m.file, set: 'corpus-mail', group: '', name: '', email: m.from, subject: m.subject, body: m.body, date: m.date, article: null, language: '', campaign: null, campaignKind: null });
  }
  letters.sort((a, b) => new Date(a.date ?? 0).getTime() - new Date(b.date ?? 0).getTime());
  for (const background of [true, false]) {
    const index = new CampaignIndex();
    if (background) for (const a of matchingArticles()) index.addBackground(`${a.title}\n${a.body ?? ''}`);
    for (const l of letters) index.add(l.id, l.body, new Date(l.date ?? 0), { writer: l.email });
    for (const [name, pick] of [['tuned', (l: LabelledLetter) => !isHeldBack(l)], ['held back', isHeldBack]] as const) {
      const subset = letters.filter(pick);
      const pred = subset.map((l) => index.campaignOf(l.id));
      const predKind = subset.map((l) => index.campaignKindOf(l.id));
      for (const kind of ['template', 'talking_points'] as CampaignKind[]) {
        let tp = 0;
        let fp = 0;
        let fn = 0;
        for (let i = 0; i < subset.length; i++) {
          for (let j = i + 1; j < subset.length; j++) {
            const a = subset[i]!;
            const b = subset[j]!;
            const same = a.campaign !== null && a.campaign === b.campaign;
            const linked = pred[i] !== null && pred[i] === pred[j];
            if (same && a.campaignKind === kind) linked ? tp++ : fn++;
            else if (linked && !same && predKind[i] === kind) fp++;
          }
        }
        row('campaigns', `${name}${background ? '' : ', articles not given'}`, `${kind} pairwise precision / recall`, `${(tp / Math.max(1, tp + fp)).toFixed(3)} / ${(tp / Math.max(1, tp + fn)).toFixed(3)} (${tp} pairs, ${fp} false, ${fn} missed)`);
      }
    }
  }
}

// --- the table ----------------------------------------------------------------------------------
const head: [string, string, string, string] = ['area', 'set', 'figure', 'value'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
let last = '';
for (const r of rows) {
  if (last && r[0] !== last) console.log('');
  console.log(line(r));
  last = r[0];
}
