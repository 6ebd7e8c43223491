import { splitText } from './text-split';

describe('splitText', () => {
  it('keeps text that fits', () => {
    expect(splitText('hello world', 11)).toEqual(['hello world']);
  });

  it('splits on word boundaries', () => {
    expect(splitText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });

  it('prefers paragraph breaks in the second half of a part', () => {
    const text = `${'a '.repeat(30).trim()}\n\n${'b '.repeat(30).trim()}`;
    const parts = splitText(text, 100);
    expect(parts).toEqual(['a '.repeat(30).trim(), 'b '.repeat(30).trim()]);
  });

  it('prefers line breaks to spaces', () => {
    expect(splitText('1. Alpha beta\n2. Gamma delta', 20)).toEqual(['1. Alpha beta', '2. Gamma delta']);
  });

  it('cuts a word longer than a part', () => {
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('never splits a surrogate pair', () => {
    const parts = splitText('😀'.repeat(5), 3);
    expect(parts.join('')).toBe('😀'.repeat(5));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(3);
    for (const part of parts) expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('never separates a Telegram escape from its character', () => {
    const parts = splitText('abcdefghi\\.jkl', 10);
    expect(parts[0]).toBe('abcdefghi');
    expect(parts[1]).toBe('\\.jkl');
  });

  it('keeps every word, in order', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const parts = splitText(text, 160);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(160);
    expect(parts.join(' ')).toBe(text);
  });
});
