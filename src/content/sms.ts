// SMS encoding and segment count (3GPP TS 23.038 / 23.040). A message that fits the GSM 7-bit
// alphabet costs 160 characters per single segment or 153 per concatenated segment, extension
// characters counting twice; any other character turns the whole message into UCS-2: 70 UTF-16
// code units, or 67 per concatenated segment. Neither an escape pair nor a surrogate pair is
// split across segments, as handsets and Twilio do.

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsInfo {
  encoding: SmsEncoding;
  segments: number;
}

export function isGsm7(text: string): boolean {
  for (const char of text) {
    if (!BASIC.has(char) && !EXTENSION.has(char)) return false;
  }
  return true;
}

export function smsInfo(text: string): SmsInfo {
  if (isGsm7(text)) {
    const units = [...text].map((char) => (EXTENSION.has(char) ? 2 : 1));
    return { encoding: 'GSM-7', segments: segments(units, 160, 153) };
  }
  // One entry per code point, sized in UTF-16 code units (2 for astral characters like emoji).
  const units = [...text].map((char) => char.length);
  return { encoding: 'UCS-2', segments: segments(units, 70, 67) };
}

function segments(units: number[], single: number, multi: number): number {
  const total = units.reduce((sum, n) => sum + n, 0);
  if (total === 0) return 0;
  if (total <= single) return 1;
  let count = 1;
  let used = 0;
  for (const n of units) {
    if (used + n > multi) {
      count += 1;
      used = 0;
    }
    used += n;
  }
  return count;
}
