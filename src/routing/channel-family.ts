import type { ChannelKind } from '../../channels/channel-adapter.port';

// Capacity is counted per channel family: an agent can hold one live chat, a few asynchronous
// messaging threads and more emails at once (ROUTING-CONTRACT: chat-like, messaging, email).
export const CHANNEL_FAMILIES = ['chat', 'messaging', 'email'] as const;
export type ChannelFamily = (typeof CHANNEL_FAMILIES)[number];

export const FAMILY_OF: Readonly<Record<ChannelKind, ChannelFamily>> = {
  chat: 'chat',
  teams: 'chat',
  slack: 'chat',
  sms: 'messaging',
  whatsapp: 'messaging',
  telegram: 'messaging',
  byoc: 'messaging',
  email: 'email',
};

// A channel type the table does not know (a kind added later) counts as messaging, the family
// with the middle capacity, rather than escaping capacity altogether.
export function familyOf(channelType: string): ChannelFamily {
  return (FAMILY_OF as Record<string, ChannelFamily>)[channelType] ?? 'messaging';
}

export function channelTypesOf(family: ChannelFamily): string[] {
  return Object.entries(FAMILY_OF)
    .filter(([, f]) => f === family)
    .map(([kind]) => kind);
}

export type Capacity = Record<ChannelFamily, number>;
export type CapacityOverride = Partial<Capacity>;

export const DEFAULT_CAPACITY: Readonly<Capacity> = { chat: 1, messaging: 3, email: 5 };

// The tenant's defaults, replaced family by family by the agent's own override.
export function effectiveCapacity(defaults: Capacity, override: CapacityOverride | null | undefined): Capacity {
  return {
    chat: override?.chat ?? defaults.chat,
    messaging: override?.messaging ?? defaults.messaging,
    email: override?.email ?? defaults.email,
  };
}
