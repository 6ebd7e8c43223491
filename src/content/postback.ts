import type { RenderedOption } from './content-options';

// A customer answering a text fallback: "2", "2.", " 2 ", "2)" pick option 2; otherwise the
// answer picks the option whose title it is, ignoring case, accents and spacing.
const NUMBER = /^\s*(\d{1,4})\s*[.)]?\s*$/;

export function resolvePostback(text: string, options: RenderedOption[]): { payload: string; title: string } | null {
  const number = NUMBER.exec(text);
  if (number) {
    const index = Number(number[1]);
    const option = options.find((candidate) => candidate.index === index);
    if (option) return { payload: option.payload, title: option.title };
  }
  const answer = normalizeTitle(text);
  if (answer === '') return null;
  const option = options.find((candidate) => normalizeTitle(candidate.title) === answer);
  return option ? { payload: option.payload, title: option.title } : null;
}

// "  Sí,  MAÑANA " and "si, manana" are the same answer.
export function normalizeTitle(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
