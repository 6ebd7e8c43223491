import { Inject, Injectable } from '@nestjs/common';
import type { StoredMedia } from '../../channels/channel-adapter.port';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ChatService } from './chat.service';
import { cleanFileName } from './upload-file-name';

export interface UploadRequest {
  channelId: string;
  token: string | undefined;
  origin: string | undefined;
  contentType: string | undefined;
  // From X-File-Name (URI-encoded, as browsers cannot put any character in a header).
  fileName: string | undefined;
  data: Buffer;
}

// A visitor's file, checked against CHAT_UPLOAD_MAX_BYTES and CHAT_UPLOAD_TYPES and stored in
// Parley's durable media; the widget then sends its URL as `content.attachments`.
@Injectable()
export class ChatUploadsService {
  constructor(
    private readonly chat: ChatService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(request: UploadRequest): Promise<StoredMedia> {
    const { channel } = await this.chat.authenticate(request.token, request.origin, request.channelId);
    const contentType = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!this.allowed(contentType)) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `Files of type ${contentType || '(none)'} cannot be sent here; allowed: ${this.config.chat.uploadTypes.join(', ')}`);
    }
    if (request.data.length === 0) throw new DomainError('VALIDATION_FAILED', 'The file is empty');
    // The route's body limit refuses bigger bodies before they are read; this covers a
    // configuration where MAX_BODY_BYTES and the upload limit disagree.
    if (request.data.length > this.config.chat.uploadMaxBytes) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `Files are limited to ${this.config.chat.uploadMaxBytes} bytes`);
    }
    const media = channel.context.media;
    if (!media) throw new DomainError('UNAVAILABLE', 'File storage is not available');
    const name = cleanFileName(request.fileName);
    return media.save({ data: request.data, contentType, ...(name ? { name } : {}) });
  }

  private allowed(contentType: string): boolean {
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(contentType)) return false;
    const [type] = contentType.split('/');
    return this.config.chat.uploadTypes.some((entry) => entry === contentType || entry === `${type}/*`);
  }
}
