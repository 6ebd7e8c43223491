import { describe, expect, it } from '@jest/globals';
import { contentOf, EMPTY_DRAFT, payloadOf, zonedToIso } from './draft';

describe('composer draft', () => {
  it('converts a wall-clock time in a zone to an instant, across DST', () => {
    expect(zonedToIso('2026-11-20T10:00', 'Europe/Madrid')).toBe('2026-11-20T09:00:00Z');
    expect(zonedToIso('2026-07-20T10:00', 'Europe/Madrid')).toBe('2026-07-20T08:00:00Z');
    expect(zonedToIso('2026-11-20T10:00', 'America/Sao_Paulo')).toBe('2026-11-20T13:00:00Z');
    expect(zonedToIso('2026-11-20T10:00', 'UTC')).toBe('2026-11-20T10:00:00Z');
    expect(zonedToIso('not a time', 'UTC')).toBeNull();
    expect(zonedToIso('2026-11-20T10:00', 'Not/AZone')).toBeNull();
  });

  it('derives a payload from the title when none is typed', () => {
    expect(payloadOf({ title: 'Track my order', payload: '', url: '' })).toBe('TRACK_MY_ORDER');
    expect(payloadOf({ title: 'Devolución', payload: '', url: '' })).toBe('DEVOLUCION');
    expect(payloadOf({ title: 'x', payload: ' CUSTOM ', url: '' })).toBe('CUSTOM');
  });

  it('builds Content from the filled parts only; nothing to send is null', () => {
    expect(contentOf(EMPTY_DRAFT)).toBeNull();
    expect(contentOf({ ...EMPTY_DRAFT, text: '   ', buttons: [{ title: '', payload: '', url: '' }] })).toBeNull();
    expect(
      contentOf({
        text: 'Pick',
        buttons: [
          { title: 'Docs', payload: '', url: 'https://example.com/docs' },
          { title: 'Refund', payload: '', url: '' },
        ],
        quickReplies: [{ title: 'Yes', payload: 'Y', url: '' }],
        timePicker: { title: 'When?', timezone: 'UTC', slots: [{ local: '2026-11-20T10:00', minutes: 30 }, { local: '', minutes: 30 }] },
      }),
    ).toEqual({
      text: 'Pick',
      buttons: [
        { title: 'Docs', url: 'https://example.com/docs' },
        { title: 'Refund', payload: 'REFUND' },
      ],
      quickReplies: [{ title: 'Yes', payload: 'Y' }],
      timePicker: { title: 'When?', timezone: 'UTC', slots: [{ start: '2026-11-20T10:00:00Z', durationMinutes: 30 }] },
    });
  });
});
