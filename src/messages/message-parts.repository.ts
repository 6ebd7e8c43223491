import type { EntityManager } from 'typeorm';
import type { DeliveryStatus } from '../../channels/channel-adapter.port';
import { MessageEntity, type MessageStatus } from './message.entity';
import { MessagePartEntity } from './message-part.entity';
import { STATUS_RANK } from './message-view';

// The parts of multi-part outbound messages (message-part.entity.ts): recorded by the outbound
// queue as the provider accepts them, read back to resume a retry, and updated by receipts.

export interface SentPart {
  tenantId: string;
  messageId: string;
  channelId: string;
  index: number;
  externalId: string;
}

export interface PartsStatus {
  status: MessageStatus;
  error: string | null;
}

export async function sentPartIds(m: EntityManager, messageId: string): Promise<string[]> {
  const rows: Array<{ external_id: string }> = await m.query('SELECT external_id FROM message_parts WHERE message_id = $1 ORDER BY part_index', [messageId]);
  return rows.map((row) => row.external_id);
}

// A second worker that took over an expired lease may have recorded the same part: the first
// record stands.
export async function recordSentPart(m: EntityManager, part: SentPart): Promise<void> {
  await m.query(
    `INSERT INTO message_parts (message_id, part_index, tenant_id, channel_id, external_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_id, part_index) DO NOTHING`,
    [part.messageId, part.index, part.tenantId, part.channelId, part.externalId],
  );
}

// The message a later part's receipt is about, locked for the status update.
export async function findMessageByPart(m: EntityManager, channelId: string, externalId: string): Promise<MessageEntity | null> {
  const rows: Array<{ message_id: string }> = await m.query('SELECT message_id FROM message_parts WHERE channel_id = $1 AND external_id = $2 LIMIT 1', [channelId, externalId]);
  if (!rows[0]) return null;
  return m.findOne(MessageEntity, { where: { id: rows[0].message_id }, lock: { mode: 'pessimistic_write' } });
}

// Records a receipt against the part it names (forward only, like messages) and answers the
// message's status as its parts make it; null when the message was sent in one part, so that the
// receipt applies to the message itself. The caller holds the message's row lock, which
// serialises receipts of one message. Until the send completed (no external id yet: still
// sending, or failed at send) the message keeps its own status; finish() reads the parts then.
export async function applyPartReceipt(m: EntityManager, message: MessageEntity, externalId: string, status: DeliveryStatus, error: string | null): Promise<PartsStatus | null> {
  const parts = await m.find(MessagePartEntity, { where: { messageId: message.id }, order: { partIndex: 'ASC' } });
  const part = parts.find((p) => p.externalId === externalId);
  if (!part) return null;
  if (STATUS_RANK[status] > STATUS_RANK[part.status]) {
    part.status = status;
    part.error = status === 'failed' ? error : null;
    await m.update(MessagePartEntity, { messageId: part.messageId, partIndex: part.partIndex }, { status: part.status, error: part.error, updatedAt: new Date() });
  }
  return message.externalId ? combinePartStatuses(parts) : { status: message.status, error: message.error };
}

// The message's status once every part was sent, from its parts' receipts; null without parts.
export async function partsStatus(m: EntityManager, messageId: string): Promise<PartsStatus | null> {
  const parts = await m.find(MessagePartEntity, { where: { messageId }, order: { partIndex: 'ASC' } });
  return parts.length > 0 ? combinePartStatuses(parts) : null;
}

// A message is only as far as its slowest part (delivered once every part is), and failed when
// any part failed: the customer is missing a piece of it.
export function combinePartStatuses(parts: ReadonlyArray<Pick<MessagePartEntity, 'status' | 'error'>>): PartsStatus {
  const failed = parts.findIndex((p) => p.status === 'failed');
  if (failed >= 0) return { status: 'failed', error: `Part ${failed + 1} of ${parts.length}: ${parts[failed]!.error ?? 'Failed at the provider'}` };
  let status: MessageStatus = 'read';
  for (const p of parts) if (STATUS_RANK[p.status] < STATUS_RANK[status]) status = p.status;
  return { status, error: null };
}
