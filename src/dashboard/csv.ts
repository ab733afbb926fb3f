/**
 * CSV of the portfolio (RFC 4180: CRLF line ends, a field quoted when it holds a quote, a comma or
 * a line break, quotes doubled), safe to open in a spreadsheet: a text cell starting with `=`,
 * `+`, `-`, `@` (or a tab or carriage return, which some spreadsheets skip before reading a
 * formula) gets a leading `'` so it is shown, never evaluated (OWASP, "CSV Injection"). A whole
 * number we wrote ourselves (days left, possibly negative) is a number, not a formula, and is left
 * as is so the column stays numeric.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const WHOLE_NUMBER = /^-?\d+$/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvCell = string | number | undefined;

export function csvCell(value: CsvCell): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  if (typeof value === 'number' && !WHOLE_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
