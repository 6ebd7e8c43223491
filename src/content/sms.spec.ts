import { isGsm7, smsInfo } from './sms';

describe('smsInfo', () => {
  it.each<[string, string, 'GSM-7' | 'UCS-2', number]>([
    ['empty text', '', 'GSM-7', 0],
    ['one character', 'a', 'GSM-7', 1],
    ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 2],
    ['306 GSM-7 characters (2 × 153)', 'a'.repeat(306), 'GSM-7', 2],
    ['307 GSM-7 characters', 'a'.repeat(307), 'GSM-7', 3],
    ['GSM-7 accents of the basic table', 'ñÑäöüÄÖÜàèéùìòÇÉ¿¡ß£¥§', 'GSM-7', 1],
    ['80 extension characters = 160 septets', '€'.repeat(80), 'GSM-7', 1],
    ['81 extension characters = 162 septets', '€'.repeat(81), 'GSM-7', 2],
    ['all extension characters', '^{}\\[~]|€', 'GSM-7', 1],
    ['70 UCS-2 characters', 'á'.repeat(70), 'UCS-2', 1],
    ['71 UCS-2 characters', 'á'.repeat(71), 'UCS-2', 2],
    ['134 UCS-2 characters (2 × 67)', 'á'.repeat(134), 'UCS-2', 2],
    ['135 UCS-2 characters', 'á'.repeat(135), 'UCS-2', 3],
    ['one non-GSM character makes it all UCS-2', `${'a'.repeat(100)}—`, 'UCS-2', 2],
    ['35 emoji = 70 UTF-16 code units', '😀'.repeat(35), 'UCS-2', 1],
    ['36 emoji = 72 code units', '😀'.repeat(36), 'UCS-2', 2],
    ['narrow no-break space is not GSM-7', '10:00\u202fAM', 'UCS-2', 1],
  ])('%s', (_name, text, encoding, segments) => {
    expect(smsInfo(text)).toEqual({ encoding, segments });
  });

  it('never splits an escape pair across segments', () => {
    // 152 + 2 + 152 = 306 septets would fill 2 × 153 exactly if "€" could straddle segments; it
    // cannot, so it starts segment 2 and the last character spills into a third.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(smsInfo(text)).toEqual({ encoding: 'GSM-7', segments: 3 });
    expect(smsInfo(`${'a'.repeat(151)}€${'a'.repeat(153)}`)).toEqual({ encoding: 'GSM-7', segments: 2 });
  });

  it('never splits a surrogate pair across segments', () => {
    // 66 code units then an emoji (2 units) → the emoji moves to segment 2; 66 + 2 + 66 = 134
    // would fit 2 × 67 if pairs could be split.
    const text = `${'á'.repeat(66)}😀${'á'.repeat(66)}`;
    expect(smsInfo(text)).toEqual({ encoding: 'UCS-2', segments: 3 });
  });

  it('tells GSM-7 text apart', () => {
    expect(isGsm7('Hola, ¿qué tal? 10€')).toBe(true);
    expect(isGsm7('Olá, tudo bem?')).toBe(false); // "á" is not in the GSM-7 table
    expect(isGsm7('• item')).toBe(false);
  });
});
