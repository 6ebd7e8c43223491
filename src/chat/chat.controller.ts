import { Controller, Get, Headers, HttpCode, Options, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { bearerToken } from '../auth/token.service';
import { ApiZodBody, ApiZodQuery, ZodBody, ZodQuery } from '../common/zod-body';
import { ChatCorsInterceptor } from './chat-cors.interceptor';
import { ChatService, type HistoryQuery, historySchema, type SessionInput, sessionSchema } from './chat.service';
import type { VisitorMessageView } from './visitor-message';

// The web chat's HTTP side (API.md §9), called by the widget from the customer's site: public
// routes (no agent token) authenticated by the visitor token where a visitor is needed.
@ApiTags('chat')
@Public()
@UseInterceptors(ChatCorsInterceptor)
@Controller('api/v1/chat/:channelId')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post('sessions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Starts a visitor session: 201 {visitorToken}. 403 FORBIDDEN when Origin is not in allowedOrigins; 404 unknown or disabled channel' })
  @ApiZodBody(sessionSchema)
  startSession(@Param('channelId') channelId: string, @Headers('origin') origin: string | undefined, @ZodBody(sessionSchema) body: SessionInput): Promise<{ visitorToken: string }> {
    return this.chat.startSession(channelId, origin, body);
  }

  @Get('messages')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The visitor's conversation (Bearer visitorToken): newest page, oldest first; nextCursor pages back in time. Never internal notes" })
  @ApiZodQuery(historySchema)
  async history(
    @Param('channelId') channelId: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('origin') origin: string | undefined,
    @ZodQuery(historySchema) query: HistoryQuery,
  ): Promise<{ items: VisitorMessageView[]; nextCursor: string | null }> {
    const { visitor } = await this.chat.authenticate(bearerToken(authorization), origin, channelId);
    return this.chat.history(visitor, query);
  }

  // CORS preflights of the widget's requests (headers set by ChatCorsInterceptor).
  @Options(['sessions', 'messages', 'attachments'])
  @HttpCode(204)
  @ApiHeader({ name: 'Origin', required: false })
  preflight(): void {}
}
