// Splits text that is too long for one message into channel-sized parts, preferring paragraph
// breaks, then line breaks, then spaces; a word longer than a whole part is cut. Parts never
// exceed `max` UTF-16 code units, which is how providers count (Twilio, Telegram, WhatsApp).
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() !== '') parts.push(rest);
  return parts.filter((part) => part !== '');
}

function cutPoint(text: string, max: number): number {
  // A break found too early would leave a tiny part: accept paragraph and line breaks only in
  // the second half of the window.
  const paragraph = text.lastIndexOf('\n\n', max);
  if (paragraph >= max / 2) return paragraph;
  const line = text.lastIndexOf('\n', max);
  if (line >= max / 2) return line;
  for (let i = max; i > 0; i--) {
    if (/\s/.test(text[i] ?? '')) return i;
  }
  return hardCut(text, max);
}

function hardCut(text: string, max: number): number {
  let cut = max;
  // Never split a surrogate pair…
  if (/[\ud800-\udbff]/.test(text[cut - 1] ?? '')) cut -= 1;
  // …nor a backslash from the character it escapes (Telegram MarkdownV2).
  let backslashes = 0;
  while (text[cut - 1 - backslashes] === '\\') backslashes++;
  if (backslashes % 2 === 1) cut -= 1;
  return cut > 0 ? cut : max;
}
