/**
 * Domain names are normalized once, at the edge, so every provider and every D1 row sees the
 * same spelling: trimmed, lower case, no trailing dot, IDN labels as A-labels (punycode).
 *
 * IDN → A-label uses the WHATWG URL parser (UTS #46 mapping: case folding, full-width forms),
 * which exists in both workerd and Node; A-label → U-label uses the `punycode` package. Length and
 * character checks are ours, because the URL parser accepts host names that are not valid domain
 * names (underscores, 300-character names).
 */
import punycode from 'punycode/punycode.js';
import { GatewayError } from './errors';

export type DomainNameProblem =
  | 'empty'
  | 'empty_label'
  | 'label_too_long'
  | 'name_too_long'
  | 'bad_characters'
  | 'hyphen_position'
  | 'missing_tld'
  | 'numeric_tld';

const PROBLEM_TEXT: Record<DomainNameProblem, string> = {
  empty: 'the name is empty',
  empty_label: 'the name has an empty label (two dots in a row, or a leading dot)',
  label_too_long: 'a label is longer than 63 characters',
  name_too_long: 'the name is longer than 253 characters',
  bad_characters: 'the name contains characters not allowed in a domain name',
  hyphen_position: 'a label starts or ends with a hyphen',
  missing_tld: 'the name has no top-level domain',
  numeric_tld: 'the top-level domain is all digits',
};

export type NormalizeResult =
  | { ok: true; name: string; unicode: string; tld: string; sld: string }
  | { ok: false; problem: DomainNameProblem; reason: string };

const LDH_LABEL = /^[a-z0-9-]+$/;

function fail(problem: DomainNameProblem): NormalizeResult {
  return { ok: false, problem, reason: PROBLEM_TEXT[problem] };
}

function toAscii(name: string): string | undefined {
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
}

/** Convert an A-label name back to Unicode for display and for registrars that want U-labels. */
export function toUnicode(asciiName: string): string {
  return asciiName
    .split('.')
    .map((label) => (label.startsWith('xn--') ? safeToUnicode(label) : label))
    .join('.');
}

export function normalizeDomainName(input: string): NormalizeResult {
  let name = input.trim().toLowerCase();
  // Full-width and ideographic dots are label separators in IDNA (UTS #46).
  name = name.replace(/[\u3002\uff0e\uff61]/g, '.');
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return fail('empty');
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return fail('empty_label');
  if (labels.length < 2) return fail('missing_tld');
  if (/[\s/\\?#@:%]/.test(name)) return fail('bad_characters');

  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name : toAscii(name);
  if (ascii === undefined || ascii === '') return fail('bad_characters');
  const asciiLabels = ascii.split('.');
  if (asciiLabels.some((l) => l === '')) return fail('empty_label');
  for (const label of asciiLabels) {
    if (label.length > 63) return fail('label_too_long');
    if (!LDH_LABEL.test(label)) return fail('bad_characters');
    if (label.startsWith('-') || label.endsWith('-')) return fail('hyphen_position');
  }
  if (ascii.length > 253) return fail('name_too_long');
  const tld = asciiLabels[asciiLabels.length - 1]!;
  if (/^[0-9]+$/.test(tld)) return fail('numeric_tld');
  return {
    ok: true,
    name: ascii,
    unicode: toUnicode(ascii),
    tld,
    sld: asciiLabels.slice(0, -1).join('.'),
  };
}

/** Normalize or throw `invalid_request` naming the field and the reason. */
export function requireDomainName(input: string, field = 'domain'): string {
  const result = normalizeDomainName(input);
  if (!result.ok) {
    throw new GatewayError('invalid_request', {
      message: `${field}: ${result.reason}`,
      fields: [{ field, reason: result.reason }],
    });
  }
  return result.name;
}

/** The registrable suffix a price list is keyed by: everything after the first label. */
/**
 * A TLD as a person or a price list writes it (`.COM`, ` co.uk `, `中国`), in the form domain
 * names take (`com`, `co.uk`, `xn--fiqs8s`): through the same normalizer, as the TLD of a name.
 */
export function normalizeTld(
  raw: string,
): { ok: true; name: string } | Extract<NormalizeResult, { ok: false }> {
  const result = normalizeDomainName(`x.${raw.trim().replace(/^\./, '')}`);
  return result.ok ? { ok: true, name: result.name.slice(2) } : result;
}

export function tldOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}

function safeToUnicode(label: string): string {
  try {
    return punycode.toUnicode(label);
  } catch {
    return label;
  }
}
