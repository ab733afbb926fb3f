/**
 * The repository stands alone: no document or comment sends a reader to a file outside it. The
 * registrars' documents are cited by their name and section ("35.com API user manual §7.2.2.1",
 * "Alibaba Cloud Domain API Reference (New) §3.5"), never by a path or line number of a copy that
 * only the developers have (`../shared/seeds/…`, `L394-421`, `spec/35com.md`, ARCHITECTURE.md).
 *
 * Code that reads the shared fixtures (test/node/shared-dir.ts and its callers) is not a citation:
 * a relative path is accepted when it resolves to a file or folder inside the repository (the
 * simulators import `../shared/http-sim`, which is `sim/shared/`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './shared-dir';

const SELF = relative(repoRoot, fileURLToPath(import.meta.url))
  .split(sep)
  .join('/');

const TEXT_EXTENSIONS = new Set([
  '.md',
  '.ts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.php',
  '.toml',
  '.sql',
  '.sh',
]);
const NEVER_SCANNED = [
  'node_modules/',
  '.git/',
  '.wrangler/',
  '.wrangler-home/',
  'reports/',
  'dist/',
  'public/',
];

/** Every file the repository holds: git's list, or a walk of the tree when there is no git. */
function repositoryFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
  } catch {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(repoRoot, dir))) {
        const path = dir ? `${dir}/${name}` : name;
        if (NEVER_SCANNED.some((p) => `${path}/`.startsWith(p))) continue;
        if (statSync(join(repoRoot, path)).isDirectory()) walk(path);
        else out.push(path);
      }
    };
    walk('');
    return out;
  }
}

interface Rule {
  why: string;
  pattern: RegExp;
  /** Matches that are not citations (a wire value, a path inside the repository). */
  allow?: (match: string, file: string) => boolean;
}

/** A relative path to something that exists inside the repository (the simulators' `../shared/`). */
function insideRepository(match: string, file: string): boolean {
  const path = resolve(repoRoot, dirname(file), match);
  if (path !== repoRoot && !path.startsWith(repoRoot + sep)) return false;
  return ['', '.ts', '.md', '.js'].some((ext) => existsSync(path + ext));
}

const RULES: Rule[] = [
  {
    why: 'a path outside the repository',
    pattern: /(?:\.\.\/)+shared\b[\w./-]*/g,
    allow: insideRepository,
  },
  { why: "a path to the developers' copy of a document", pattern: /\bshared\/(?:seeds|spec)\b/g },
  { why: 'a seed file name', pattern: /\bseeds?[/ ]0\d\d\b/g },
  { why: 'an engineering digest', pattern: /\bspec\/[\w-]+\.md\b|\bspec §|\bdigest (?:§|DECIDE|A-)|\[GK\]/g },
  { why: "a digest's decision number", pattern: /\bDECIDE-\d+\b/g },
  { why: "a digest's ambiguity number", pattern: /\(A-\d{2}\)|[;,] A-\d{2}\b|\bA-\d{2}:/g },
  { why: 'a file outside the repository', pattern: /\b(?:ARCHITECTURE|TOOLCHAIN)\.md\b/g },
  {
    // `L394`, `L394-421`, `L262–L270`; not the 35.com server's `value` texts (`L118:no value`).
    why: 'a line number of a document copy',
    pattern: /(?<![\w$])L\d{1,5}(?:\s?[-–/]\s?L?\d{1,5})?(?![\w:])/g,
  },
  {
    why: 'a line number of a document copy',
    pattern:
      /\blines? \d+(?:\s?[-–]\s?\d+)? of the (?:seed|document|manual|spec)\b|\bseed (?:L|§|lines?\b)/gi,
  },
];

interface Offence {
  where: string;
  text: string;
  why: string;
}

function citationsOutside(file: string, content: string): Offence[] {
  const found: Offence[] = [];
  content.split('\n').forEach((line, i) => {
    for (const rule of RULES) {
      for (const m of line.matchAll(rule.pattern)) {
        if (rule.allow?.(m[0], file)) continue;
        found.push({ where: `${file}:${i + 1}`, text: m[0], why: rule.why });
      }
    }
  });
  return found;
}

describe('the repository stands alone', () => {
  it('cites no file outside it: no seed paths, seed line numbers, digests or ARCHITECTURE.md', () => {
    const files = repositoryFiles().filter(
      (f) =>
        f !== SELF &&
        TEXT_EXTENSIONS.has(extname(f)) &&
        !NEVER_SCANNED.some((p) => f.startsWith(p)) &&
        existsSync(join(repoRoot, f)),
    );
    expect(files.length).toBeGreaterThan(100);
    const offences = files.flatMap((f) => citationsOutside(f, readFileSync(join(repoRoot, f), 'utf8')));
    // One line per citation, so the list says where to go: `docs/x.md:12  "L394-421"  (why)`.
    expect(offences.map((o) => `${o.where}  ${JSON.stringify(o.text)}  (${o.why})`)).toEqual([]);
  });

  it('recognises the citations it is meant to refuse, and not the wire values or in-repo paths', () => {
    const cited = (text: string, file = 'src/x.ts') =>
      citationsOutside(file, text)
        .map((o) => o.text)
        .sort();
    expect(cited('domaintype (table 7.2.2.1, L394-421)')).toEqual(['L394-421']);
    expect(cited('no order id (seed L262–L270)')).toEqual(['L262–L270', 'seed L'].sort());
    expect(cited('see L2605/L2615 and lines 12–40 of the seed')).toEqual(
      ['L2605/L2615', 'lines 12–40 of the seed'].sort(),
    );
    expect(cited('Seeds are in `../shared/seeds/`; digests in `../shared/spec/`.', 'docs/d.md')).toEqual(
      ['../shared/seeds/', '../shared/spec/', 'shared/seeds', 'shared/spec'].sort(),
    );
    expect(cited('built from seed 003 and spec/alibaba.md §9.2 (DECIDE-13), see ARCHITECTURE.md')).toEqual(
      ['seed 003', 'spec/alibaba.md', 'DECIDE-13', 'ARCHITECTURE.md'].sort(),
    );
    // Not citations: the 35.com server's own `value` texts, an import of sim/shared, identifiers.
    expect(cited("RenewDomain: 'L476:null', Login: 'L118:no value'")).toEqual([]);
    expect(cited("import { startHttpSimulator } from '../shared/http-sim';", 'sim/com35/start.ts')).toEqual(
      [],
    );
    expect(cited('no paging (A-15); GET only, A-04); (A-14: the whole request fails)')).toEqual(
      ['(A-15)', ', A-04', 'A-14:'].sort(),
    );
    expect(cited('RENEWAL_DECIDE_AFTER_SECONDS, createHash(x).digest("hex"), HTTP/1.1, SHA-256')).toEqual([]);
  });
});
