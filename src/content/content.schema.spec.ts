import { ValidationError } from '../common/errors';
import { contentSchema, parseContent } from './content.schema';

function errorOf(input: unknown): ValidationError {
  try {
    parseContent(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected parseContent to throw');
}

const fields = (input: unknown) => errorOf(input).details.map((detail) => detail.field);

describe('parseContent', () => {
  it('accepts every element of API.md §7 together', () => {
    const content = parseContent({
      text: 'Hello',
      format: 'markdown',
      buttons: [{ title: 'Yes', payload: 'yes' }, { title: 'Site', url: 'https://example.com' }],
      quickReplies: [{ title: 'Later', payload: 'later' }],
      cards: [{ title: 'Shirt', subtitle: 'Blue', imageUrl: 'https://example.com/s.png', buttons: [{ title: 'Buy', payload: 'buy' }] }],
      listPicker: { title: 'Size', items: [{ title: 'S', subtitle: 'Small', payload: 's' }] },
      timePicker: { title: 'When?', timezone: 'Europe/Madrid', slots: [{ start: '2026-11-20T10:00:00Z', durationMinutes: 30 }] },
      richLink: { url: 'https://example.com/post', title: 'Post', imageUrl: 'https://example.com/p.png' },
      adaptiveCard: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hi' }], $schema: 'x' },
      template: { name: 'order_update', language: 'en_US', parameters: ['42', { type: 'text', text: 'Ana' }] },
      attachments: [{ url: 'https://example.com/f.pdf', contentType: 'application/pdf', name: 'f.pdf' }],
      postback: { payload: 'yes', title: 'Yes' },
    });
    expect(content.buttons).toHaveLength(2);
    // Adaptive Card fields we do not model are kept for the channel that renders the card.
    expect(content.adaptiveCard).toMatchObject({ $schema: 'x' });
  });

  it('refuses NUL characters anywhere, which PostgreSQL cannot store in jsonb', () => {
    expect(errorOf({ text: 'a\u0000b' }).message).toMatch(/INVALID|content/i);
    expect(() => parseContent({ buttons: [{ title: 'x\u0000', payload: 'y' }] })).toThrow(ValidationError);
    expect(parseContent({ text: 'a\\u0000b' })).toEqual({ text: 'a\\u0000b' });
  });

  it('trims titles and strips unknown keys', () => {
    expect(parseContent({ buttons: [{ title: '  Yes ', payload: 'y', colour: 'red' }] })).toEqual({
      buttons: [{ title: 'Yes', payload: 'y' }],
    });
  });

  it('accepts offsets other than Z in slot starts', () => {
    expect(() =>
      parseContent({ timePicker: { title: 'T', timezone: 'UTC', slots: [{ start: '2026-11-20T10:00-03:00', durationMinutes: 15 }] } }),
    ).not.toThrow();
  });

  it.each([
    ['empty object', {}],
    ['format only', { format: 'markdown' }],
    ['whitespace text', { text: '   \n' }],
  ])('rejects empty content (%s)', (_name, input) => {
    const error = errorOf(input);
    expect(error.code).toBe('INVALID_CONTENT');
    expect(error.status).toBe(400);
    expect(error.details[0]?.field).toBe('content');
  });

  it.each<[string, unknown, string]>([
    ['an option without a title', { buttons: [{ payload: 'x' }] }, 'content.buttons.0.title'],
    ['a blank title', { quickReplies: [{ title: '   ', payload: 'x' }] }, 'content.quickReplies.0.title'],
    ['a button with neither payload nor url', { buttons: [{ title: 'A' }] }, 'content.buttons.0'],
    ['a title over 256 characters', { buttons: [{ title: 'x'.repeat(257), payload: 'x' }] }, 'content.buttons.0.title'],
    ['a payload over 1000 bytes', { quickReplies: [{ title: 'A', payload: 'é'.repeat(501) }] }, 'content.quickReplies.0.payload'],
    ['a javascript: URL', { buttons: [{ title: 'A', url: 'javascript:alert(1)' }] }, 'content.buttons.0.url'],
    ['a relative URL', { richLink: { url: '/relative' } }, 'content.richLink.url'],
    ['a URL with spaces', { attachments: [{ url: 'https://e.com/a b.png', contentType: 'image/png' }] }, 'content.attachments.0.url'],
    ['a data: image', { cards: [{ title: 'A', imageUrl: 'data:image/png;base64,AAAA' }] }, 'content.cards.0.imageUrl'],
    ['more than 100 options', { buttons: Array.from({ length: 101 }, (_, i) => ({ title: `B${i}`, payload: `${i}` })) }, 'content.buttons'],
    ['an empty list', { listPicker: { title: 'L', items: [] } }, 'content.listPicker.items'],
    ['a list item without payload', { listPicker: { title: 'L', items: [{ title: 'A' }] } }, 'content.listPicker.items.0.payload'],
    ['an unknown time zone', { timePicker: { title: 'T', timezone: 'Mars/Olympus', slots: [{ start: '2026-11-20T10:00:00Z', durationMinutes: 30 }] } }, 'content.timePicker.timezone'],
    ['a slot without offset', { timePicker: { title: 'T', timezone: 'UTC', slots: [{ start: '2026-11-20T10:00:00', durationMinutes: 30 }] } }, 'content.timePicker.slots.0.start'],
    ['an impossible date', { timePicker: { title: 'T', timezone: 'UTC', slots: [{ start: '2026-13-40T10:00:00Z', durationMinutes: 30 }] } }, 'content.timePicker.slots.0.start'],
    ['a fractional duration', { timePicker: { title: 'T', timezone: 'UTC', slots: [{ start: '2026-11-20T10:00:00Z', durationMinutes: 1.5 }] } }, 'content.timePicker.slots.0.durationMinutes'],
    ['a card that is not an AdaptiveCard', { adaptiveCard: { type: 'HeroCard' } }, 'content.adaptiveCard.type'],
    ['a bad MIME type', { attachments: [{ url: 'https://e.com/a.png', contentType: 'png' }] }, 'content.attachments.0.contentType'],
    ['a template without language', { template: { name: 'x' } }, 'content.template.language'],
    ['an unknown format', { text: 'x', format: 'rtf' }, 'content.format'],
    ['too many card buttons', { cards: [{ title: 'C', buttons: Array.from({ length: 11 }, (_, i) => ({ title: `${i}`, payload: `${i}` })) }] }, 'content.cards.0.buttons'],
  ])('rejects %s, naming the field', (_name, input, field) => {
    const error = errorOf(input);
    expect(error.code).toBe('INVALID_CONTENT');
    expect(fields(input)).toContain(field);
    expect(error.message).toContain(field);
  });

  it('rejects input that is not an object', () => {
    expect(errorOf('hello').code).toBe('INVALID_CONTENT');
    expect(errorOf(null).code).toBe('INVALID_CONTENT');
  });

  it('exposes the schema for composition', () => {
    expect(contentSchema.safeParse({ text: 'hi' }).success).toBe(true);
  });
});
