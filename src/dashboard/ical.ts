/**
 * An iCalendar (RFC 5545) feed of expiry dates: one all-day event per domain on its expiry date
 * (UTC), with a UID stable across fetches so calendar apps update an event instead of adding
 * another. Lines end in CRLF and are folded at 75 octets (§3.1), never inside a UTF-8 sequence;
 * TEXT values are escaped (§3.3.11).
 */
export interface ExpiryEvent {
  domain: string;
  account: string;
  provider: string;
  expiresAt: string;
}

const encoder = new TextEncoder();
const MAX_OCTETS = 75;

/** §3.1: a line longer than 75 octets continues on lines starting with one space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The continuation's leading space counts against its 75 octets.
  let room = MAX_OCTETS;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > room) {
      parts.push(current);
      current = '';
      octets = 0;
      room = MAX_OCTETS - 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** §3.3.11: backslash, semicolon, comma and line breaks escaped. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** `2027-03-01T10:00:00.000Z` → `20270301T100000Z` (§3.3.5, UTC). */
export function icalDateTime(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The UTC calendar day of an instant, `YYYYMMDD` (§3.3.4), and the day after it. */
function icalDays(iso: string): { day: string; next: string } {
  const start = new Date(iso);
  const day = start.toISOString().slice(0, 10);
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { day: day.replace(/-/g, ''), next: next.toISOString().slice(0, 10).replace(/-/g, '') };
}

export const CALENDAR_HEADER = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//registrar-gateway//dashboard//EN',
  'CALSCALE:GREGORIAN',
  'METHOD:PUBLISH',
  'X-WR-CALNAME:Domain expiries',
];

export const CALENDAR_FOOTER = ['END:VCALENDAR'];

/** One VEVENT's lines (unfolded). */
export function expiryEventLines(event: ExpiryEvent, stamp: Date): string[] {
  const { day, next } = icalDays(event.expiresAt);
  return [
    'BEGIN:VEVENT',
    // Names and account names hold no `@`, so this is unique per domain and account.
    `UID:${event.domain}.${event.account}@expiry.registrar-gateway`,
    `DTSTAMP:${icalDateTime(stamp)}`,
    `DTSTART;VALUE=DATE:${day}`,
    `DTEND;VALUE=DATE:${next}`,
    `SUMMARY:${escapeText(`${event.domain} expires (${event.account})`)}`,
    `DESCRIPTION:${escapeText(`${event.domain} at ${event.account} (${event.provider}) expires ${event.expiresAt}.`)}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** Lines as the wire carries them: each folded, each ended by CRLF. */
export function icalText(lines: readonly string[]): string {
  return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}
