import { CHANNEL_KINDS } from '../../channels/channel-adapter.port';
import { CONTENT_ELEMENTS } from './capabilities.types';
import { CHANNEL_CAPABILITIES, byocCapabilities, channelTypesView } from './channel-capabilities';

describe('CHANNEL_CAPABILITIES', () => {
  it('declares every channel kind with known elements only', () => {
    expect(Object.keys(CHANNEL_CAPABILITIES).sort()).toEqual([...CHANNEL_KINDS].sort());
    for (const kind of CHANNEL_KINDS) {
      for (const element of CHANNEL_CAPABILITIES[kind].native) expect(CONTENT_ELEMENTS).toContain(element);
    }
  });

  it('matches the matrix of DOMAIN.md', () => {
    expect(CHANNEL_CAPABILITIES.sms).toMatchObject({ native: [], dialect: 'plain', sms: true, limits: { maxTextLength: 1600 } });
    expect(CHANNEL_CAPABILITIES.email).toMatchObject({ native: ['html', 'attachments'], dialect: 'html' });
    expect(CHANNEL_CAPABILITIES.chat.native).toEqual(
      expect.arrayContaining(['buttons', 'quickReplies', 'cards', 'listPicker', 'timePicker', 'richLink', 'adaptiveCard', 'markdown', 'html', 'attachments']),
    );
    expect(CHANNEL_CAPABILITIES.whatsapp).toMatchObject({
      dialect: 'whatsapp',
      replyWindowHours: 24,
      receipts: true,
      limits: { maxButtons: 3, maxButtonTitle: 20, maxListItems: 10, maxListItemTitle: 24 },
    });
    expect(CHANNEL_CAPABILITIES.whatsapp.native).toEqual(
      expect.arrayContaining(['buttons', 'listPicker', 'quickReplies', 'richLink', 'attachments', 'template']),
    );
    expect(CHANNEL_CAPABILITIES.telegram).toMatchObject({
      dialect: 'telegram-markdownv2',
      limits: { maxTextLength: 4096 },
    });
    // Long payloads travel as references (channels/telegram/telegram-callback-data.ts).
    expect(CHANNEL_CAPABILITIES.telegram.limits.maxPayloadBytes).toBeUndefined();
    expect(CHANNEL_CAPABILITIES.telegram.native).toEqual(
      expect.arrayContaining(['buttons', 'quickReplies', 'listPicker', 'timePicker', 'attachments']),
    );
    expect(CHANNEL_CAPABILITIES.slack.dialect).toBe('slack-mrkdwn');
    expect(CHANNEL_CAPABILITIES.slack.native).toEqual(
      expect.arrayContaining(['buttons', 'listPicker', 'timePicker', 'cards', 'richLink', 'attachments']),
    );
    expect(CHANNEL_CAPABILITIES.teams).toMatchObject({ dialect: 'teams', limits: { maxAdaptiveCardVersion: '1.5', maxQuickReplies: 3 } });
    expect(CHANNEL_CAPABILITIES.teams.native).toEqual(expect.arrayContaining(['adaptiveCard', 'cards', 'quickReplies', 'buttons']));
    expect(CHANNEL_CAPABILITIES.byoc).toMatchObject({ native: [], dialect: 'plain' });
  });

  it('renders template natively only on WhatsApp', () => {
    const withTemplate = CHANNEL_KINDS.filter((kind) => CHANNEL_CAPABILITIES[kind].native.includes('template'));
    expect(withTemplate).toEqual(['whatsapp']);
  });
});

describe('byocCapabilities', () => {
  it('is text only when nothing is declared', () => {
    expect(byocCapabilities([])).toMatchObject({ native: [], dialect: 'plain' });
    expect(byocCapabilities(['text'])).toMatchObject({ native: [], dialect: 'plain' });
  });

  it('takes the declared elements, ignoring unknown keys', () => {
    expect(byocCapabilities(['buttons', 'cards', 'bogus', 'text']).native).toEqual(['buttons', 'cards']);
  });

  it.each([
    [['markdown'], 'markdown'],
    [['html'], 'html'],
    [['html', 'markdown'], 'markdown'],
    [['buttons'], 'plain'],
  ])('derives the dialect from %j', (declared, dialect) => {
    expect(byocCapabilities(declared).dialect).toBe(dialect);
  });

  it('does not share mutable state between channels', () => {
    const a = byocCapabilities(['buttons']);
    a.native.push('cards');
    a.limits.maxButtons = 1;
    expect(byocCapabilities(['buttons']).native).toEqual(['buttons']);
    expect(CHANNEL_CAPABILITIES.byoc.limits.maxButtons).toBeUndefined();
  });
});

describe('channelTypesView', () => {
  it('lists every channel type with its native elements and limits', () => {
    const { items } = channelTypesView();
    expect(items.map((item) => item.type)).toEqual([...CHANNEL_KINDS]);
    const whatsapp = items.find((item) => item.type === 'whatsapp');
    expect(whatsapp).toEqual({ type: 'whatsapp', native: CHANNEL_CAPABILITIES.whatsapp.native, limits: CHANNEL_CAPABILITIES.whatsapp.limits });
    expect(whatsapp).not.toHaveProperty('configurable');
  });

  it('marks byoc as configurable with no native element', () => {
    expect(channelTypesView().items.find((item) => item.type === 'byoc')).toEqual({ type: 'byoc', native: [], limits: {}, configurable: true });
  });

  it('is JSON-serialisable and detached from the matrix', () => {
    const view = channelTypesView();
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    view.items[0]?.native.push('cards');
    expect(channelTypesView()).not.toEqual(view);
  });
});
