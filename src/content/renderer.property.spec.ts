import fc from 'fast-check';
import { CHANNEL_KINDS } from '../../channels/channel-adapter.port';
import { CONTENT_ELEMENTS, type ChannelCapabilities } from './capabilities.types';
import { CHANNEL_CAPABILITIES, byocCapabilities } from './channel-capabilities';
import { type Content, contentSchema } from './content.schema';
import { normalizeTitle, resolvePostback } from './postback';
import { limitViolations, missingOptions } from './render-assertions.spec-helper';
import { renderContent } from './renderer';

// Random valid Content on random channels: whatever the mix, the result fits the channel, keeps
// every option, and every option number answers with that option's payload.

// Titles mix plain words, dialect-reserved characters, accents and emoji, at lengths around the
// channels' limits (20, 24, 75).
const titleChars = fc.constantFrom(...'abcdefghij ABC 0123 ñéü*_~`[]()#+-=|{}.!\\<>&😀'.split(''), 'ção');
const title = fc
  .array(titleChars, { minLength: 1, maxLength: 30 })
  .map((chars) => chars.join('').trim())
  .filter((t) => t.length > 0 && [...t].length <= 256);
const payload = fc.oneof(
  fc.stringMatching(/^[A-Z_]{1,20}$/),
  fc.string({ minLength: 1, maxLength: 90 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
);
const url = fc.stringMatching(/^[a-z0-9_-]{0,20}$/).map((path) => `https://example.com/${path}`);

const button = fc.oneof(
  fc.record({ title, payload }),
  fc.record({ title, url }),
  fc.record({ title, payload, url }),
);
const options = <T>(item: fc.Arbitrary<T>) => fc.array(item, { minLength: 1, maxLength: 14 });

const slot = fc.record({
  start: fc
    .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  durationMinutes: fc.integer({ min: 5, max: 240 }),
});

const adaptiveAction = fc.oneof(
  fc.record({ type: fc.constant('Action.Submit'), title, data: fc.oneof(payload, fc.dictionary(fc.string({ maxLength: 5 }), fc.integer())) }),
  fc.record({ type: fc.constant('Action.OpenUrl'), title, url }),
);
const adaptiveElement = fc.oneof(
  fc.record({ type: fc.constant('TextBlock'), text: title }),
  fc.record({ type: fc.constant('FactSet'), facts: fc.array(fc.record({ title, value: title }), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('ActionSet'), actions: fc.array(adaptiveAction, { maxLength: 3 }) }),
);

const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(fc.constantFrom('word', '**bold**', '_it_', '[l](https://e.com/x)', '\n\n', '# H', '- item', '<b>x</b>', '😀', 'ção'), { maxLength: 1200 }).map((w) => w.join(' ')),
);

const contentArb: fc.Arbitrary<Content> = fc
  .record(
    {
      text,
      format: fc.constantFrom('plain', 'markdown', 'html'),
      buttons: options(button),
      quickReplies: options(fc.record({ title, payload })),
      cards: fc.array(
        fc.record(
          { title, subtitle: title, imageUrl: url, buttons: fc.array(button, { maxLength: 4 }) },
          { requiredKeys: ['title'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      listPicker: fc.record({
        title,
        items: options(fc.record({ title, subtitle: title, payload }, { requiredKeys: ['title', 'payload'] })),
      }),
      timePicker: fc.record({
        title,
        timezone: fc.constantFrom('UTC', 'Europe/Madrid', 'America/Sao_Paulo', 'Asia/Kolkata', 'Pacific/Chatham'),
        slots: options(slot),
      }),
      richLink: fc.record({ url, title }, { requiredKeys: ['url'] }),
      adaptiveCard: fc.record(
        {
          type: fc.constant('AdaptiveCard' as const),
          version: fc.constantFrom('1.0', '1.3', '1.5', '1.6'),
          body: fc.array(adaptiveElement, { maxLength: 4 }),
          actions: fc.array(adaptiveAction, { maxLength: 4 }),
        },
        { requiredKeys: ['type'] },
      ),
      template: fc.record({ name: fc.stringMatching(/^[a-z_]{1,20}$/), language: fc.constantFrom('en_US', 'es', 'pt-BR') }),
      attachments: fc.array(fc.record({ url, contentType: fc.constantFrom('image/png', 'application/pdf'), name: title }, { requiredKeys: ['url', 'contentType'] }), {
        minLength: 1,
        maxLength: 3,
      }),
    },
    { requiredKeys: [] },
  )
  .map((candidate) => contentSchema.safeParse(candidate))
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data as Content);

const capsArb: fc.Arbitrary<{ name: string; caps: ChannelCapabilities }> = fc.oneof(
  fc.constantFrom(...CHANNEL_KINDS).map((kind) => ({ name: kind, caps: CHANNEL_CAPABILITIES[kind] })),
  fc.subarray([...CONTENT_ELEMENTS]).map((declared) => ({ name: `byoc ${declared.join(',')}`, caps: byocCapabilities(declared) })),
);

const locale = fc.constantFrom(undefined, 'en-US', 'es-ES', 'pt-BR', 'de', 'ja-JP');

describe('renderContent properties', () => {
  it('always fits the channel: native elements within limits, parts within maxTextLength', () => {
    fc.assert(
      fc.property(contentArb, capsArb, locale, (content, { caps }, loc) => {
        const result = renderContent(content, caps, { locale: loc });
        expect(limitViolations(result, caps)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('never drops an option and never renders nothing', () => {
    fc.assert(
      fc.property(contentArb, capsArb, locale, (content, { caps }, loc) => {
        const result = renderContent(content, caps, { locale: loc });
        expect(missingOptions(result, loc)).toEqual([]);
        const keys = Object.keys(result.rendered).filter((k) => k !== 'format');
        expect(keys.length).toBeGreaterThan(0);
        if (result.rendered.text !== undefined) expect(result.parts.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('answers each option number, written any accepted way, with that option payload', () => {
    fc.assert(
      fc.property(contentArb, capsArb, fc.constantFrom('%d', '%d.', ' %d ', '%d)'), (content, { caps }, shape) => {
        const { options } = renderContent(content, caps);
        expect(options.map((o) => o.index)).toEqual(options.map((_, i) => i + 1));
        for (const option of options) {
          const answer = shape.replace('%d', String(option.index));
          expect(resolvePostback(answer, options)).toEqual({ payload: option.payload, title: option.title });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers an option title with the payload of the first option of that title', () => {
    fc.assert(
      fc.property(contentArb, capsArb, (content, { caps }) => {
        const { options } = renderContent(content, caps);
        for (const option of options) {
          if (/^\s*\d{1,4}\s*[.)]?\s*$/.test(option.title) || normalizeTitle(option.title) === '') continue;
          const first = options.find((o) => normalizeTitle(o.title) === normalizeTitle(option.title));
          expect(resolvePostback(option.title.toUpperCase(), options)?.payload).toBe(first?.payload);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('renders valid Content that re-renders the same on the same channel', () => {
    fc.assert(
      fc.property(contentArb, capsArb, (content, { caps }) => {
        const { rendered } = renderContent(content, caps);
        if ((rendered.text ?? '').length > 100_000) return;
        expect(contentSchema.safeParse(rendered).success).toBe(true);
        // Nothing left to degrade: rendering what was rendered keeps its native elements.
        const again = renderContent(rendered, caps).rendered;
        for (const key of Object.keys(rendered)) if (key !== 'text' && key !== 'format') expect(again).toHaveProperty(key);
      }),
      { numRuns: 200 },
    );
  });
});
