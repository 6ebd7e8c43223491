import type { Attachment } from '../src/content/content.schema';
import { type InboundEvent, type MediaInput, ProviderError } from './channel-adapter.port';

export interface DownloadOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  // A bigger file is refused while streaming, before it is held in memory whole.
  maxBytes: number;
  name?: string;
  // Used when the provider sends no usable Content-Type.
  fallbackContentType?: string;
}

// Fetches a provider's media file so that Parley can keep it (provider URLs and ids expire).
// Failures are classified like any provider call: network errors, timeouts, 429 and 5xx are
// temporary (the webhook answers 503 and the provider redelivers); other statuses are permanent.
export async function downloadMedia(url: string, options: DownloadOptions): Promise<MediaInput> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  let response: Response;
  try {
    response = await fetch(url, { headers: options.headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = typeof error === 'object' && error !== null && 'name' in error && error.name === 'TimeoutError';
    throw new ProviderError('temporary', timedOut ? `media download: no answer within ${timeoutMs} ms` : 'media download: provider unreachable');
  }
  if (!response.ok) {
    await response.body?.cancel();
    const errorClass = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'temporary' : 'permanent';
    throw new ProviderError(errorClass, `media download answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    throw new ProviderError('permanent', `media of ${declared} bytes exceeds the limit of ${options.maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > options.maxBytes) throw new ProviderError('permanent', `media exceeds the limit of ${options.maxBytes} bytes`);
      chunks.push(Buffer.from(chunk));
    }
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() || options.fallbackContentType || 'application/octet-stream';
  return { data: Buffer.concat(chunks), contentType, ...(options.name !== undefined && { name: options.name }) };
}

// Replaces each attachment of the message events with what `copy` returns (undefined: keep it).
// A retryable provider failure propagates, so the webhook answers 503 and the provider
// redelivers; any other failure keeps the provider's reference rather than losing the message.
export async function copyAttachments(events: InboundEvent[], copy: (attachment: Attachment) => Promise<Attachment | undefined>): Promise<InboundEvent[]> {
  const out: InboundEvent[] = [];
  for (const event of events) {
    if (event.kind !== 'message' || !event.content.attachments?.length) {
      out.push(event);
      continue;
    }
    const attachments: Attachment[] = [];
    for (const attachment of event.content.attachments) {
      try {
        attachments.push((await copy(attachment)) ?? attachment);
      } catch (error) {
        if (error instanceof ProviderError && error.retryable) throw error;
        attachments.push(attachment);
      }
    }
    out.push({ ...event, content: { ...event.content, attachments } });
  }
  return out;
}
