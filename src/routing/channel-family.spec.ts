import { channelTypesOf, effectiveCapacity, familyOf } from './channel-family';

describe('channel families', () => {
  it('groups channel kinds into chat-like, messaging and email', () => {
    expect(['chat', 'teams', 'slack'].map(familyOf)).toEqual(['chat', 'chat', 'chat']);
    expect(['sms', 'whatsapp', 'telegram', 'byoc'].map(familyOf)).toEqual(['messaging', 'messaging', 'messaging', 'messaging']);
    expect(familyOf('email')).toBe('email');
    expect(familyOf('carrier-pigeon')).toBe('messaging');
    expect(channelTypesOf('chat').sort()).toEqual(['chat', 'slack', 'teams']);
  });

  it('overrides the tenant defaults family by family', () => {
    const defaults = { chat: 1, messaging: 3, email: 5 };
    expect(effectiveCapacity(defaults, null)).toEqual(defaults);
    expect(effectiveCapacity(defaults, { email: 0, chat: 2 })).toEqual({ chat: 2, messaging: 3, email: 0 });
  });
});
