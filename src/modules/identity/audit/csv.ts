/**
 * One CSV field (RFC 4180): always quoted, quotes doubled. A value a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading `'`, so it opens as text.
 */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${inert.replace(/"/g, '""')}"`;
}

/** One CSV record, CRLF-terminated. */
export function csvRecord(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
