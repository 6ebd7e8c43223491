import type { RenderedOption } from './content-options';
import { normalizeTitle, resolvePostback } from './postback';

const options: RenderedOption[] = [
  { index: 1, title: 'Sí, confirmar', payload: 'CONFIRM' },
  { index: 2, title: 'Cancelar pedido', payload: 'CANCEL' },
  { index: 3, title: 'Falar com atendente', payload: 'AGENT' },
  { index: 12, title: 'Mañana  por la tarde', payload: 'TOMORROW_PM' },
];

describe('resolvePostback', () => {
  it.each([
    ['2', 'CANCEL'],
    ['2.', 'CANCEL'],
    [' 2 ', 'CANCEL'],
    ['2)', 'CANCEL'],
    ['\t3\n', 'AGENT'],
    ['12', 'TOMORROW_PM'],
    ['1 .', 'CONFIRM'],
  ])('answers %j with the payload of that option number', (text, payload) => {
    expect(resolvePostback(text, options)?.payload).toBe(payload);
  });

  it.each([
    ['Sí, confirmar', 'CONFIRM'],
    ['si, confirmar', 'CONFIRM'],
    ['SI, CONFIRMAR', 'CONFIRM'],
    ['  cancelar   PEDIDO ', 'CANCEL'],
    ['falar com atendente', 'AGENT'],
    ['manana por la tarde', 'TOMORROW_PM'],
    ['MAÑANA POR LA TARDE', 'TOMORROW_PM'],
  ])('answers the title %j, ignoring case, accents and spacing', (text, payload) => {
    expect(resolvePostback(text, options)?.payload).toBe(payload);
  });

  it('returns the option title with the payload', () => {
    expect(resolvePostback('1', options)).toEqual({ payload: 'CONFIRM', title: 'Sí, confirmar' });
  });

  it.each([
    ['a number with no option', '4'],
    ['zero', '0'],
    ['a number inside a sentence', 'I want 2'],
    ['two numbers', '1 2'],
    ['a negative number', '-1'],
    ['part of a title', 'cancelar'],
    ['a title with extra words', 'cancelar pedido por favor'],
    ['empty text', ''],
    ['only spaces', '   '],
  ])('ignores %s', (_name, text) => {
    expect(resolvePostback(text, options)).toBeNull();
  });

  it('matches nothing when the message had no options', () => {
    expect(resolvePostback('1', [])).toBeNull();
  });

  it('prefers the option number over a title that looks like a number', () => {
    const numeric: RenderedOption[] = [
      { index: 1, title: '2', payload: 'TWO' },
      { index: 2, title: '1', payload: 'ONE' },
    ];
    expect(resolvePostback('2', numeric)?.payload).toBe('ONE');
  });

  it('normalizes titles', () => {
    expect(normalizeTitle('  Çà  Ê\u00a0ñ ')).toBe('ca e n');
  });
});
