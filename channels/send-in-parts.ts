import { ProviderError, type OutboundMessage, type SendResult } from './channel-adapter.port';

// One message the provider takes as several (Twilio's 1600-character Body, Telegram's 4096, a
// WhatsApp text followed by its media…), sent part by part in order. A retry resumes after the
// parts an earlier attempt delivered (message.sentParts) instead of repeating them, and each
// accepted part is reported through onPartSent before the next is attempted. What remains is at
// least once for the part in flight only: a crash between the provider's answer and the report
// sends that one part again.
export async function sendInParts<P>(
  message: OutboundMessage,
  parts: readonly P[],
  sendPart: (part: P, index: number) => Promise<string>,
): Promise<SendResult> {
  if (parts.length === 0) throw new ProviderError('permanent', 'Nothing to send');
  const ids = (message.sentParts ?? []).slice(0, parts.length);
  for (let index = ids.length; index < parts.length; index++) {
    let id: string;
    try {
      id = await sendPart(parts[index]!, index);
    } catch (error) {
      // The customer already has the first parts: the reason says where the message stopped.
      if (index > 0 && error instanceof ProviderError) throw new ProviderError(error.errorClass, `Part ${index + 1} of ${parts.length}: ${error.message}`, error.retryAfterMs);
      throw error;
    }
    ids.push(id);
    if (parts.length > 1) await message.onPartSent?.(index, id);
  }
  return { externalId: ids[0]! };
}
