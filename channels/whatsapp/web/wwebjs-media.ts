import { z } from 'zod';
import { attachmentSchema, type Attachment } from '../../../src/content/content.schema';
import type { MediaSink } from '../../channel-adapter.port';

// Inbound media: whatsapp-web.js decrypts it inside the browser and hands it over as base64
// (`message.downloadMedia()` → MessageMedia{mimetype, data, filename}). WhatsApp only keeps it
// for a while, so it is copied into Parley's own storage while the message is in hand.

const downloadedSchema = z.looseObject({ mimetype: z.string().min(1), data: z.string().min(1), filename: z.string().nullish() });

// undefined: the message has no media the library can fetch (expired, or never had any).
// Throws what downloadMedia() or the sink throws.
export async function saveInboundMedia(raw: unknown, sink: MediaSink): Promise<Attachment | undefined> {
  const download = (raw as { downloadMedia?: unknown } | null)?.downloadMedia;
  if (typeof download !== 'function') return undefined;
  const media = downloadedSchema.safeParse(await (download as () => Promise<unknown>).call(raw));
  if (!media.success) return undefined;
  const { mimetype, data, filename } = media.data;
  // Voice notes come as "audio/ogg; codecs=opus": the parameters stay with the stored type.
  const saved = await sink.save({ data: Buffer.from(data, 'base64'), contentType: mimetype, ...(filename && { name: filename }) });
  const attachment = attachmentSchema.safeParse({ url: saved.url, contentType: saved.contentType, ...(saved.name && { name: saved.name }) });
  return attachment.success ? attachment.data : undefined;
}
