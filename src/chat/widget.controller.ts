import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors';
import { WidgetAssetCache } from './widget-asset';

// GET /widget.js: the embeddable web chat widget (API.md §9), for
// <script src="{PUBLIC_URL}/widget.js" data-channel-id="{channelId}" async></script>.
// The URL is not versioned, so browsers keep it briefly and revalidate with its ETag.
@ApiTags('chat')
@Public()
@Controller()
export class WidgetController {
  private readonly asset = new WidgetAssetCache();

  @Get('widget.js')
  @ApiOperation({ summary: 'The embeddable web chat widget (JavaScript)' })
  serve(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const asset = this.asset.get();
    if (!asset) throw new DomainError('NOT_FOUND', 'The widget is not built (npm run build:widget)');
    void reply
      .header('cache-control', 'public, max-age=300')
      .header('etag', asset.etag)
      // Loaded by other sites' pages.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === asset.etag)) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).header('content-type', 'application/javascript; charset=utf-8').send(asset.body);
  }
}
