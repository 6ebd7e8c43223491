import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { type SessionView, WwebjsSessionsService } from './wwebjs-sessions.service';

// The pairing state of a WhatsApp channel run through whatsapp-web.js: the admin scans the QR
// code from here (or from the `channel.session` socket event).
@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/v1/channels/:id/session')
export class ChannelSessionController {
  constructor(private readonly sessions: WwebjsSessionsService) {}

  @Get()
  @Roles('admin')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SessionView> {
    return this.sessions.view(user.tenantId, id);
  }

  @Post('restart')
  @HttpCode(200)
  @Roles('admin')
  restart(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SessionView> {
    return this.sessions.restart(user.tenantId, id);
  }
}
