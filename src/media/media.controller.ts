import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { NotFoundError } from '../common/errors';
import { MediaService } from './media.service';

// Types a browser may show inline. Anything else downloads, and nothing stored is ever
// interpreted as a page of ours (customers upload these files).
const INLINE = /^(image\/(png|jpeg|gif|webp)|audio\/|video\/|application\/pdf$)/;

@ApiTags('media')
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Get(':id/:token')
  @Public()
  @ApiOperation({ summary: 'A stored media file; the URL (from a message attachment) is its own credential' })
  async get(@Param('id') id: string, @Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const file = await this.media.open(id, token);
    if (!file) throw new NotFoundError('Media');
    const disposition = INLINE.test(file.contentType) ? 'inline' : 'attachment';
    const filename = file.name ? `; filename*=UTF-8''${encodeURIComponent(file.name)}` : '';
    reply
      .header('content-type', file.contentType)
      .header('content-disposition', `${disposition}${filename}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      // The bytes behind an id never change.
      .header('cache-control', 'private, max-age=31536000, immutable');
    return file.data;
  }
}
