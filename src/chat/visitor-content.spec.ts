import { DomainError } from '../common/errors';
import { parseMessageSend } from './visitor-content';

describe('parseMessageSend', () => {
  const own = (url: string) => url.startsWith('https://parley.example/media/');
  const field = (input: unknown): string | undefined => {
    try {
      parseMessageSend(input, own);
    } catch (error) {
      if (error instanceof DomainError) return error.details[0]?.field;
      throw error;
    }
    return undefined;
  };

  it('takes text, postbacks and our own uploads, trimming the clientMessageId', () => {
    expect(parseMessageSend({ clientMessageId: ' a-1 ', content: { text: 'Hola', format: 'plain' } }, own)).toEqual({ clientMessageId: 'a-1', content: { text: 'Hola' } });
    expect(parseMessageSend({ clientMessageId: 'a-2', content: { text: 'Sí', postback: { payload: 'YES', title: 'Sí' } } }, own).content.postback).toEqual({ payload: 'YES', title: 'Sí' });
    const attachment = { url: 'https://parley.example/media/0b7e2c4d-1a3f-4e5b-8c9d-0e1f2a3b4c5d/tok', contentType: 'image/png', name: 'a.png' };
    expect(parseMessageSend({ clientMessageId: 'a-3', content: { attachments: [attachment] } }, own).content).toEqual({ attachments: [attachment] });
  });

  it('refuses what only agents send, foreign attachments, formatted text and missing ids, naming the field', () => {
    expect(field({ content: { text: 'x' } })).toBe('clientMessageId');
    expect(field({ clientMessageId: 'x'.repeat(101), content: { text: 'x' } })).toBe('clientMessageId');
    expect(field({ clientMessageId: 'b', content: { text: '   ' } })).toBe('content');
    expect(field({ clientMessageId: 'b', content: { text: 'x', cards: [{ title: 'Deal' }] } })).toBe('content.cards');
    expect(field({ clientMessageId: 'b', content: { adaptiveCard: { type: 'AdaptiveCard' } } })).toBe('content.adaptiveCard');
    expect(field({ clientMessageId: 'b', content: { text: '*x*', format: 'markdown' } })).toBe('content.format');
    expect(field({ clientMessageId: 'b', content: { attachments: [{ url: 'https://evil.example/a.png', contentType: 'image/png' }] } })).toBe('content.attachments.0.url');
    expect(field(null)).toBe('clientMessageId');
  });
});
