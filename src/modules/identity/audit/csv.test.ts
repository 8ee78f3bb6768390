import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './csv.ts';

describe('CSV fields', () => {
  it('quotes every field and doubles quotes inside, keeping commas and line breaks in the field', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', null, 7])).toBe(
      '"a","b,c","say ""hi""","two\nlines","","7"\r\n',
    );
  });

  it('makes what a spreadsheet would run as a formula open as text', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvField(cell)).toBe(`"'${cell.replace(/"/g, '""')}"`);
    expect(csvField('a=1')).toBe('"a=1"');
    expect(csvField('2024-01-01T00:00:00Z')).toBe('"2024-01-01T00:00:00Z"');
  });
});
