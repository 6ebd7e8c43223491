import type { MessageStatus } from '../api/api.types';

// WhatsApp-style ticks: ⏱ queued, ✓ sent, ✓✓ delivered, blue ✓✓ read, ! failed.
const TICKS: Record<MessageStatus, { glyph: string; label: string }> = {
  received: { glyph: '', label: 'Received' },
  queued: { glyph: '◷', label: 'Queued' },
  sent: { glyph: '✓', label: 'Sent' },
  delivered: { glyph: '✓✓', label: 'Delivered' },
  read: { glyph: '✓✓', label: 'Read' },
  failed: { glyph: '!', label: 'Failed' },
};

export function DeliveryTicks({ status, error }: { status: MessageStatus; error: string | null }) {
  const tick = TICKS[status];
  const label = status === 'failed' && error ? `${tick.label}: ${error}` : tick.label;
  return (
    <span className={`ticks ticks--${status}`} role="img" aria-label={`Delivery status: ${label}`} title={label} data-status={status}>
      {tick.glyph}
    </span>
  );
}
