import { cleanFileName } from './upload-file-name';

describe('cleanFileName', () => {
  it('keeps a display name: decoded, without path or control characters, bounded', () => {
    expect(cleanFileName(encodeURIComponent('recibo de compra.png'))).toBe('recibo de compra.png');
    expect(cleanFileName('..%2F..%2Fetc%2Fpasswd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\ana\\foto.jpg')).toBe('foto.jpg');
    expect(cleanFileName('a%0Ab.txt')).toBe('ab.txt');
    expect(cleanFileName('%E0%A4%A')).toBe('%E0%A4%A');
    expect(cleanFileName('x'.repeat(300))).toHaveLength(255);
    expect(cleanFileName('')).toBeUndefined();
    expect(cleanFileName('%2F')).toBeUndefined();
  });
});
