import { CHANNEL_KINDS, type ChannelKind } from '../../channels/channel-adapter.port';
import type { ChannelCapabilities } from './capabilities.types';
import { CHANNEL_CAPABILITIES, byocCapabilities } from './channel-capabilities';
import { type Content, contentSchema, parseContent } from './content.schema';
import { resolvePostback } from './postback';
import { limitViolations, missingOptions } from './render-assertions.spec-helper';
import { renderContent } from './renderer';

// One fixture per element of API.md §7, each rendered on every channel kind.
const ELEMENTS = {
  buttons: parseContent({
    text: 'Confirm?',
    buttons: [
      { title: 'Yes', payload: 'YES' },
      { title: 'No', payload: 'NO' },
      { title: 'Website', url: 'https://example.com/site' },
    ],
  }),
  quickReplies: parseContent({
    quickReplies: [
      { title: 'Track order', payload: 'TRACK' },
      { title: 'Talk to agent', payload: 'AGENT' },
    ],
  }),
  cards: parseContent({
    cards: [
      {
        title: 'Blue shirt',
        subtitle: 'Cotton, size M',
        imageUrl: 'https://example.com/shirt.png',
        buttons: [
          { title: 'Buy', payload: 'BUY_SHIRT' },
          { title: 'Details', url: 'https://example.com/shirt' },
        ],
      },
    ],
  }),
  listPicker: parseContent({
    listPicker: {
      title: 'Choose a size',
      items: [
        { title: 'Small', subtitle: 'S', payload: 'SIZE_S' },
        { title: 'Medium', subtitle: 'M', payload: 'SIZE_M' },
      ],
    },
  }),
  timePicker: parseContent({
    timePicker: {
      title: 'Pick a time',
      timezone: 'America/Sao_Paulo',
      slots: [
        { start: '2026-11-20T13:00:00Z', durationMinutes: 30 },
        { start: '2026-11-20T14:30:00Z', durationMinutes: 30 },
      ],
    },
  }),
  richLink: parseContent({ richLink: { url: 'https://example.com/blog/post', title: 'Our new store' } }),
  adaptiveCard: parseContent({
    adaptiveCard: {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Order 42 shipped' },
        { type: 'FactSet', facts: [{ title: 'Carrier', value: 'DHL' }] },
      ],
      actions: [
        { type: 'Action.Submit', title: 'Got it', data: 'ACK' },
        { type: 'Action.OpenUrl', title: 'Track', url: 'https://example.com/track/42' },
      ],
    },
  }),
  template: parseContent({ template: { name: 'order_update', language: 'en_US', parameters: ['42'] } }),
  attachments: parseContent({
    attachments: [{ url: 'https://example.com/files/invoice.pdf', contentType: 'application/pdf', name: 'invoice.pdf' }],
  }),
  postback: parseContent({ postback: { payload: 'YES', title: 'Yes' } }),
  markdown: parseContent({ text: 'Your **order** is [here](https://example.com/o)', format: 'markdown' }),
  html: parseContent({ text: '<p>Your <b>order</b> is <a href="https://example.com/o">here</a></p>', format: 'html' }),
} satisfies Record<string, Content>;

type ElementName = keyof typeof ELEMENTS;

// How each element comes out on each channel: kept as is, turned into another native element,
// or written into the text.
type Outcome = 'native' | 'text' | `as ${'buttons' | 'listPicker'}`;

const MATRIX: Record<ElementName, Record<ChannelKind, Outcome>> = {
  // The URL button cannot be a WhatsApp reply button (nor a list row).
  buttons: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'text', telegram: 'native', slack: 'native', teams: 'native', byoc: 'text' },
  quickReplies: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'native', telegram: 'native', slack: 'as buttons', teams: 'native', byoc: 'text' },
  cards: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'text', telegram: 'text', slack: 'native', teams: 'native', byoc: 'text' },
  // Teams has no list, and list items with subtitles do not fit buttons.
  listPicker: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'native', telegram: 'native', slack: 'native', teams: 'text', byoc: 'text' },
  timePicker: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'as listPicker', telegram: 'native', slack: 'native', teams: 'as buttons', byoc: 'text' },
  richLink: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'native', telegram: 'text', slack: 'native', teams: 'text', byoc: 'text' },
  adaptiveCard: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'text', telegram: 'text', slack: 'text', teams: 'native', byoc: 'text' },
  template: { sms: 'text', email: 'text', chat: 'text', whatsapp: 'native', telegram: 'text', slack: 'text', teams: 'text', byoc: 'text' },
  attachments: { sms: 'text', email: 'native', chat: 'native', whatsapp: 'native', telegram: 'native', slack: 'native', teams: 'text', byoc: 'text' },
  postback: { sms: 'text', email: 'text', chat: 'text', whatsapp: 'text', telegram: 'text', slack: 'text', teams: 'text', byoc: 'text' },
  markdown: { sms: 'text', email: 'text', chat: 'native', whatsapp: 'text', telegram: 'text', slack: 'text', teams: 'text', byoc: 'text' },
  html: { sms: 'text', email: 'native', chat: 'native', whatsapp: 'text', telegram: 'text', slack: 'text', teams: 'text', byoc: 'text' },
};

// What must be visible in the text when the element degrades.
const TEXT_EVIDENCE: Record<ElementName, string[]> = {
  buttons: ['Confirm?', '1. Yes', '2. No', '3. Website', 'https://example.com/site'],
  quickReplies: ['1. Track order', '2. Talk to agent'],
  cards: ['Blue shirt', 'Cotton, size M', 'https://example.com/shirt.png', '1. Buy', '2. Details', 'https://example.com/shirt'],
  listPicker: ['Choose a size', '1. Small — S', '2. Medium — M'],
  // 13:00Z is 10:00 in São Paulo.
  timePicker: ['Pick a time', '1. Fri, Nov 20, 10:00 AM', '2. Fri, Nov 20, 11:30 AM'],
  richLink: ['Our new store', 'https://example.com/blog/post'],
  adaptiveCard: ['Order 42 shipped', 'Carrier: DHL', '1. Got it', '2. Track', 'https://example.com/track/42'],
  template: ['order_update', '42'],
  attachments: ['invoice.pdf', 'https://example.com/files/invoice.pdf'],
  postback: ['Yes'],
  markdown: ['order', 'https://example.com/o'],
  html: ['order', 'https://example.com/o'],
};

const ELEMENT_KEY: Partial<Record<ElementName, keyof Content>> = { markdown: 'text', html: 'text', postback: 'postback' };

// Telegram escapes "." and "-" in text: compare with the escapes removed.
const visible = (text: string | undefined) => (text ?? '').replace(/\\(.)/g, '$1').replace(/&amp;/g, '&');

const cases = (Object.keys(MATRIX) as ElementName[]).flatMap((element) =>
  CHANNEL_KINDS.map((kind) => [element, kind, MATRIX[element][kind]] as const),
);

describe('renderContent: every element on every channel', () => {
  it.each(cases)('%s on %s → %s', (element, kind, outcome) => {
    const content = ELEMENTS[element];
    const caps = CHANNEL_CAPABILITIES[kind];
    const result = renderContent(content, caps);
    const { rendered } = result;
    const key: keyof Content = ELEMENT_KEY[element] ?? (element === 'markdown' || element === 'html' ? 'text' : element);

    // Never empty, never beyond the channel.
    expect(Object.keys(rendered).filter((k) => k !== 'format').length).toBeGreaterThan(0);
    expect(limitViolations(result, caps)).toEqual([]);
    expect(missingOptions(result)).toEqual([]);

    if (element === 'markdown' || element === 'html') {
      const expectedFormat = outcome === 'native' ? content.format : caps.dialect;
      expect(rendered.format).toBe(expectedFormat);
    } else if (outcome === 'native') {
      expect(rendered[key]).toEqual(content[key]);
    } else if (outcome === 'as buttons' || outcome === 'as listPicker') {
      expect(rendered[key]).toBeUndefined();
      expect(rendered[outcome === 'as buttons' ? 'buttons' : 'listPicker']).toBeDefined();
    } else {
      expect(rendered[key]).toBeUndefined();
    }
    if (outcome === 'text') {
      for (const evidence of TEXT_EVIDENCE[element]) expect(visible(rendered.text)).toContain(evidence);
    }

    // Each option answers with its payload when its number is typed back.
    for (const option of result.options) {
      expect(resolvePostback(`${option.index}`, result.options)?.payload).toBe(option.payload);
    }
    // The rendered content is valid Content in its own right.
    expect(contentSchema.safeParse(rendered).success).toBe(true);
  });
});

describe('renderContent: options', () => {
  const whatsapp = CHANNEL_CAPABILITIES.whatsapp;
  const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Option ${i + 1}`, payload: `P${i + 1}` }));

  it('keeps up to 3 reply buttons native on WhatsApp', () => {
    const { rendered, options } = renderContent({ text: 'Pick', buttons: buttons(3) }, whatsapp);
    expect(rendered.buttons).toHaveLength(3);
    expect(rendered.text).toBe('Pick');
    expect(options.map((o) => o.payload)).toEqual(['P1', 'P2', 'P3']);
  });

  it('turns 4 to 10 buttons into a WhatsApp list before falling back to text', () => {
    const { rendered, options } = renderContent({ text: 'Pick', buttons: buttons(7) }, whatsapp);
    expect(rendered.buttons).toBeUndefined();
    expect(rendered.listPicker?.items).toEqual(buttons(7));
    expect(rendered.listPicker?.title.length).toBeLessThanOrEqual(20);
    expect(options).toHaveLength(7);
  });

  it('falls back to a numbered list past 10 WhatsApp rows', () => {
    const { rendered, options } = renderContent({ text: 'Pick', buttons: buttons(11) }, whatsapp);
    expect(rendered.listPicker).toBeUndefined();
    expect(rendered.text).toBe(`Pick\n\n${buttons(11).map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`);
    expect(resolvePostback('11', options)?.payload).toBe('P11');
    expect(resolvePostback('option 4', options)?.payload).toBe('P4');
  });

  it('falls back when a WhatsApp button title is over 20 characters and a list row over 24', () => {
    const long = [{ title: 'A very long option title here', payload: 'LONG' }];
    const { rendered } = renderContent({ buttons: long }, whatsapp);
    expect(rendered.buttons).toBeUndefined();
    expect(rendered.listPicker).toBeUndefined();
    expect(rendered.text).toBe('1. A very long option title here');
  });

  it('uses a list for a 21–24 character title that no reply button fits', () => {
    const { rendered } = renderContent({ buttons: [{ title: 'Twenty-two characters!', payload: 'X' }] }, whatsapp);
    expect(rendered.listPicker?.items).toEqual([{ title: 'Twenty-two characters!', payload: 'X' }]);
  });

  it('sends one interactive element per WhatsApp message; the next one degrades', () => {
    const content: Content = {
      buttons: buttons(2),
      quickReplies: [{ title: 'Later', payload: 'LATER' }],
    };
    const { rendered, options } = renderContent(content, whatsapp);
    expect(rendered.buttons).toHaveLength(2);
    expect(rendered.quickReplies).toBeUndefined();
    expect(rendered.text).toBe('1. Later');
    // Text options are numbered first, from 1; native ones follow.
    expect(options).toEqual([
      { index: 1, title: 'Later', payload: 'LATER' },
      { index: 2, title: 'Option 1', payload: 'P1' },
      { index: 3, title: 'Option 2', payload: 'P2' },
    ]);
  });

  it('numbers options continuously across elements in one message', () => {
    const content = parseContent({
      text: 'Hello',
      buttons: [{ title: 'A', payload: 'a' }],
      quickReplies: [{ title: 'B', payload: 'b' }],
      listPicker: { title: 'More', items: [{ title: 'C', subtitle: 'third', payload: 'c' }] },
      timePicker: { title: 'When', timezone: 'UTC', slots: [{ start: '2026-01-05T09:00:00Z', durationMinutes: 60 }] },
    });
    const { rendered, options } = renderContent(content, CHANNEL_CAPABILITIES.sms);
    expect(rendered).toEqual({
      text: 'Hello\n\n1. A\n\n2. B\n\nMore\n3. C — third\n\nWhen (UTC)\n4. Mon, Jan 5, 9:00 AM',
      format: 'plain',
    });
    expect(options.map((o) => [o.index, o.payload])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, '2026-01-05T09:00:00Z'],
    ]);
  });

  it('answers a URL button with its URL and keeps the URL in text', () => {
    const { rendered, options } = renderContent(
      { buttons: [{ title: 'Pay now', url: 'https://pay.example.com/i/1' }] },
      CHANNEL_CAPABILITIES.sms,
    );
    expect(rendered.text).toBe('1. Pay now: https://pay.example.com/i/1');
    expect(options).toEqual([{ index: 1, title: 'Pay now', payload: 'https://pay.example.com/i/1' }]);
  });

  it('falls back when a payload exceeds the channel’s maxPayloadBytes', () => {
    const payload = 'x'.repeat(76);
    const { rendered, options } = renderContent({ buttons: [{ title: 'Go', payload }] }, CHANNEL_CAPABILITIES.slack);
    expect(rendered.buttons).toBeUndefined();
    expect(rendered.text).toBe('1. Go');
    expect(options[0]?.payload).toBe(payload);
  });

  it('keeps long payloads native on Telegram, whose adapter sends them as references', () => {
    const payload = 'ñ'.repeat(33); // 66 bytes: more than callback_data's 64
    const { rendered, options } = renderContent({ buttons: [{ title: 'Go', payload }] }, CHANNEL_CAPABILITIES.telegram);
    expect(rendered.buttons).toEqual([{ title: 'Go', payload }]);
    expect(options).toEqual([{ index: 1, title: 'Go', payload }]);
  });

  it('sends quick replies as buttons on Slack, and as a list when buttons are taken', () => {
    const { rendered } = renderContent(
      { buttons: [{ title: 'A', payload: 'a' }], quickReplies: [{ title: 'B', payload: 'b' }] },
      CHANNEL_CAPABILITIES.slack,
    );
    expect(rendered.buttons).toEqual([{ title: 'A', payload: 'a' }]);
    expect(rendered.listPicker).toEqual({ title: 'Choose an option', items: [{ title: 'B', payload: 'b' }] });
  });

  it('sends more than 3 quick replies as hero-card buttons on Teams', () => {
    const replies = buttons(5);
    const { rendered } = renderContent({ quickReplies: replies }, CHANNEL_CAPABILITIES.teams);
    expect(rendered.quickReplies).toBeUndefined();
    expect(rendered.buttons).toEqual(replies);
  });
});

describe('renderContent: time slots', () => {
  const picker = parseContent({
    timePicker: {
      title: 'Appointment',
      timezone: 'Asia/Kolkata',
      slots: [{ start: '2026-03-02T04:00:00Z', durationMinutes: 45 }],
    },
  });

  it('writes a slot as its start in the picker time zone, en-US by default', () => {
    expect(renderContent(picker, CHANNEL_CAPABILITIES.sms).rendered.text).toBe('Appointment (Asia/Kolkata)\n1. Mon, Mar 2, 9:30 AM');
  });

  it('uses the customer locale when known', () => {
    const { rendered, options } = renderContent(picker, CHANNEL_CAPABILITIES.sms, { locale: 'es-ES' });
    expect(rendered.text).toBe('Appointment (Asia/Kolkata)\n1. lun, 2 mar, 9:30');
    expect(resolvePostback('lun, 2 mar, 9:30', options)?.payload).toBe('2026-03-02T04:00:00Z');
  });

  it('falls back to en-US for an unusable locale', () => {
    expect(renderContent(picker, CHANNEL_CAPABILITIES.sms, { locale: 'not a locale!' }).rendered.text).toContain('Mon, Mar 2, 9:30 AM');
  });

  it('keeps SMS in GSM-7 (no narrow no-break space before AM/PM)', () => {
    expect(renderContent(picker, CHANNEL_CAPABILITIES.sms).sms).toEqual({ encoding: 'GSM-7', segments: 1 });
  });

  it('sends slots as a WhatsApp list with formatted titles', () => {
    const { rendered } = renderContent(picker, CHANNEL_CAPABILITIES.whatsapp);
    expect(rendered.listPicker).toEqual({
      title: 'Appointment',
      items: [{ title: 'Mon, Mar 2, 9:30 AM', payload: '2026-03-02T04:00:00Z' }],
    });
  });
});

describe('renderContent: cards, links, Adaptive Cards, attachments', () => {
  it('writes cards as title, subtitle and link lines', () => {
    const { rendered } = renderContent(
      parseContent({
        cards: [
          { title: 'Hotel A', subtitle: '4 stars', imageUrl: 'https://e.com/a.jpg', buttons: [{ title: 'Book', url: 'https://e.com/book/a' }] },
          { title: 'Hotel B', buttons: [{ title: 'Ask', payload: 'ASK_B' }] },
        ],
      }),
      CHANNEL_CAPABILITIES.sms,
    );
    expect(rendered.text).toBe('Hotel A\n4 stars\nhttps://e.com/a.jpg\n1. Book: https://e.com/book/a\n\nHotel B\n2. Ask');
  });

  it('writes a rich link as its title and URL', () => {
    expect(renderContent({ richLink: { url: 'https://e.com/p' } }, CHANNEL_CAPABILITIES.teams).rendered.text).toBe(
      '[https://e.com/p](https://e.com/p)',
    );
    expect(renderContent({ richLink: { url: 'https://e.com/p', title: 'Post' } }, CHANNEL_CAPABILITIES.sms).rendered.text).toBe(
      'Post\nhttps://e.com/p',
    );
  });

  it('degrades an Adaptive Card newer than Teams supports', () => {
    const card = parseContent({
      adaptiveCard: { type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlock', text: 'Hi' }] },
    });
    const { rendered } = renderContent(card, CHANNEL_CAPABILITIES.teams);
    expect(rendered.adaptiveCard).toBeUndefined();
    expect(rendered.text).toBe('Hi');
  });

  it('reads an Adaptive Card: text blocks, facts, nested containers, actions as options', () => {
    const card = parseContent({
      adaptiveCard: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'Your booking', weight: 'Bolder' },
          { type: 'Container', items: [{ type: 'FactSet', facts: [{ title: 'Date', value: 'Nov 20' }, { title: 'Guests', value: '2' }] }] },
          { type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'TextBlock', text: 'Left' }] }] },
          { type: 'Image', url: 'https://e.com/map.png', altText: 'Map' },
          { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Change', data: { action: 'change' } }] },
        ],
        actions: [
          { type: 'Action.Submit', title: 'Confirm', data: 'CONFIRM' },
          { type: 'Action.OpenUrl', title: 'Details', url: 'https://e.com/b/1' },
          { type: 'Action.ToggleVisibility', title: 'More', targetElements: ['x'] },
        ],
      },
    });
    const { rendered, options } = renderContent(card, CHANNEL_CAPABILITIES.sms);
    expect(rendered.text).toBe(
      'Your booking\nDate: Nov 20\nGuests: 2\nLeft\nMap: https://e.com/map.png\n1. Change\n2. Confirm\n3. Details: https://e.com/b/1',
    );
    expect(options.map((o) => o.payload)).toEqual(['{"action":"change"}', 'CONFIRM', 'https://e.com/b/1']);
  });

  it('lists attachments a channel cannot send as "name: url" lines', () => {
    const { rendered } = renderContent(
      parseContent({
        text: 'Here you go',
        attachments: [
          { url: 'https://e.com/f/invoice%2042.pdf', contentType: 'application/pdf' },
          { url: 'https://e.com/x', contentType: 'image/png', name: 'photo.png' },
        ],
      }),
      CHANNEL_CAPABILITIES.sms,
    );
    expect(rendered.text).toBe('Here you go\n\ninvoice 42.pdf: https://e.com/f/invoice%2042.pdf\nphoto.png: https://e.com/x');
  });

  it('spells a template out where it cannot be sent as one', () => {
    const { rendered } = renderContent(
      { template: { name: 'appointment_reminder', language: 'es', parameters: ['Ana', { type: 'text', text: 'mañana' }] } },
      CHANNEL_CAPABILITIES.sms,
    );
    expect(rendered.text).toBe('appointment_reminder (es)\nAna\nmañana');
  });
});

describe('renderContent: text formats', () => {
  it('keeps plain text as is and marks its format', () => {
    const { rendered } = renderContent({ text: 'Price *only* 5_000 <today>' }, CHANNEL_CAPABILITIES.slack);
    expect(rendered).toEqual({ text: 'Price *only* 5_000 <today>', format: 'plain' });
  });

  it('converts Markdown to each dialect', () => {
    const content: Content = { text: 'Hi **Ana**, see [FAQ](https://e.com/faq).', format: 'markdown' };
    const out = (kind: ChannelKind) => renderContent(content, CHANNEL_CAPABILITIES[kind]).rendered;
    expect(out('slack')).toEqual({ text: 'Hi *Ana*, see <https://e.com/faq|FAQ>.', format: 'slack-mrkdwn' });
    expect(out('telegram')).toEqual({ text: 'Hi *Ana*, see [FAQ](https://e.com/faq)\\.', format: 'telegram-markdownv2' });
    expect(out('whatsapp')).toEqual({ text: 'Hi *Ana*, see FAQ (https://e.com/faq).', format: 'whatsapp' });
    expect(out('sms')).toEqual({ text: 'Hi Ana, see FAQ (https://e.com/faq).', format: 'plain' });
    expect(out('email')).toEqual({ text: '<p>Hi <strong>Ana</strong>, see <a href="https://e.com/faq">FAQ</a>.</p>', format: 'html' });
    expect(out('chat')).toEqual(content);
    expect(out('teams')).toEqual({ text: 'Hi **Ana**, see [FAQ](https://e.com/faq).', format: 'teams' });
  });

  it('sanitizes HTML for HTML channels and converts it elsewhere', () => {
    const content: Content = {
      text: '<p onclick="x()">Hi <b>Ana</b><script>alert(1)</script> <a href="javascript:alert(1)">x</a> <img src=x onerror="alert(1)"></p>',
      format: 'html',
    };
    for (const kind of ['email', 'chat'] as const) {
      const { rendered } = renderContent(content, CHANNEL_CAPABILITIES[kind]);
      expect(rendered.format).toBe('html');
      expect(rendered.text).toBe('<p>Hi <b>Ana</b> <a>x</a> <img src="x" /></p>');
    }
    expect(renderContent(content, CHANNEL_CAPABILITIES.sms).rendered).toEqual({ text: 'Hi Ana x', format: 'plain' });
    expect(renderContent(content, CHANNEL_CAPABILITIES.whatsapp).rendered).toEqual({ text: 'Hi *Ana* x', format: 'whatsapp' });
  });

  it('writes degraded elements in the dialect of the text they join', () => {
    const content = parseContent({
      text: 'Pick one:',
      listPicker: { title: 'Sizes (EU)', items: [{ title: 'Size 38.5', subtitle: 'narrow-fit', payload: 's' }] },
    });
    const teams = renderContent({ ...content, format: 'markdown' }, CHANNEL_CAPABILITIES.teams).rendered;
    expect(teams).toEqual({ text: 'Pick one:\n\n**Sizes (EU)**\n\n1. Size 38.5 — narrow-fit', format: 'teams' });
    const telegram = renderContent({ ...content, format: 'markdown' }, CHANNEL_CAPABILITIES.telegram).rendered;
    expect(telegram.listPicker).toBeDefined();
    const email = renderContent(content, CHANNEL_CAPABILITIES.email).rendered;
    expect(email).toEqual({ text: 'Pick one:\n\nSizes (EU)\n1. Size 38.5 — narrow-fit', format: 'plain' });
    const emailHtml = renderContent({ ...content, format: 'html', text: '<p>Pick <b>one</b>:</p>' }, CHANNEL_CAPABILITIES.email).rendered;
    expect(emailHtml).toEqual({
      text: '<p>Pick <b>one</b>:</p>\n<p><strong>Sizes (EU)</strong><br>\n1. Size 38.5 — narrow-fit</p>',
      format: 'html',
    });
  });

  it('escapes degraded options for Telegram MarkdownV2', () => {
    const { rendered } = renderContent(
      parseContent({ cards: [{ title: 'Deal #1 (50% off!)', buttons: [{ title: 'Buy-now', url: 'https://e.com/a_b.c' }] }] }),
      CHANNEL_CAPABILITIES.telegram,
    );
    expect(rendered).toEqual({
      text: '*Deal \\#1 \\(50% off\\!\\)*\n1\\. Buy\\-now: https://e\\.com/a\\_b\\.c',
      format: 'telegram-markdownv2',
    });
  });

  it('uses the channel dialect when the degraded elements are the only text', () => {
    const { rendered } = renderContent(
      { cards: [{ title: 'Shirt', buttons: [{ title: 'Buy', payload: 'b' }] }] },
      CHANNEL_CAPABILITIES.whatsapp,
    );
    expect(rendered).toEqual({ text: '*Shirt*\n1. Buy', format: 'whatsapp' });
  });

  it('keeps text already written in the channel dialect', () => {
    const { rendered } = renderContent({ text: '*hi* <@U123>', format: 'slack-mrkdwn' }, CHANNEL_CAPABILITIES.slack);
    expect(rendered).toEqual({ text: '*hi* <@U123>', format: 'slack-mrkdwn' });
  });

  it('follows a BYOC channel declared capabilities', () => {
    const caps: ChannelCapabilities = byocCapabilities(['buttons', 'markdown']);
    const { rendered } = renderContent(
      { text: '**Hi**', format: 'markdown', buttons: [{ title: 'A', payload: 'a' }], quickReplies: [{ title: 'B', payload: 'b' }] },
      caps,
    );
    expect(rendered).toEqual({ text: '**Hi**\n\n1. B', format: 'markdown', buttons: [{ title: 'A', payload: 'a' }] });
  });
});

describe('renderContent: length and SMS', () => {
  it('splits text longer than the channel allows on word boundaries', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const { rendered, parts, sms } = renderContent({ text: words.join(' ') }, CHANNEL_CAPABILITIES.sms);
    expect(rendered.text).toBe(words.join(' '));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1600);
    expect(parts.join(' ').split(' ')).toEqual(words);
    expect(sms?.encoding).toBe('GSM-7');
    expect(sms?.segments).toBe(parts.reduce((n, p) => n + Math.ceil(p.length / 153), 0));
  });

  it('counts SMS segments in GSM-7 or UCS-2', () => {
    expect(renderContent({ text: 'Hola, ¿qué tal?' }, CHANNEL_CAPABILITIES.sms).sms).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(renderContent({ text: 'Olá! Você pode confirmar?' }, CHANNEL_CAPABILITIES.sms).sms).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(renderContent({ text: 'x'.repeat(161) }, CHANNEL_CAPABILITIES.sms).sms).toEqual({ encoding: 'GSM-7', segments: 2 });
  });

  it('reports SMS information only for SMS channels', () => {
    expect(renderContent({ text: 'hi' }, CHANNEL_CAPABILITIES.whatsapp).sms).toBeUndefined();
  });

  it('returns one part when the channel has no length limit', () => {
    expect(renderContent({ text: 'x'.repeat(50_000) }, CHANNEL_CAPABILITIES.email).parts).toHaveLength(1);
  });

  it('has no parts and no text when everything is native', () => {
    const result = renderContent({ buttons: [{ title: 'A', payload: 'a' }] }, CHANNEL_CAPABILITIES.chat);
    expect(result.parts).toEqual([]);
    expect(result.rendered).toEqual({ buttons: [{ title: 'A', payload: 'a' }] });
  });
});
