// A channel's badge: a coloured disc with a short glyph, named for assistive technology.
const CHANNELS: Record<string, { label: string; glyph: string }> = {
  sms: { label: 'SMS', glyph: 'SMS' },
  whatsapp: { label: 'WhatsApp', glyph: 'WA' },
  telegram: { label: 'Telegram', glyph: 'TG' },
  slack: { label: 'Slack', glyph: 'SL' },
  teams: { label: 'Microsoft Teams', glyph: 'T' },
  email: { label: 'Email', glyph: '@' },
  chat: { label: 'Web chat', glyph: 'W' },
  byoc: { label: 'Custom channel', glyph: '{ }' },
};

export function channelLabel(type: string): string {
  return CHANNELS[type]?.label ?? type;
}

export function ChannelIcon({ type }: { type: string }) {
  const channel = CHANNELS[type] ?? { label: type, glyph: type.slice(0, 2).toUpperCase() };
  return (
    <span className={`channel-icon channel-icon--${type}`} role="img" aria-label={channel.label} title={channel.label} data-channel={type}>
      <span aria-hidden="true">{channel.glyph}</span>
    </span>
  );
}
