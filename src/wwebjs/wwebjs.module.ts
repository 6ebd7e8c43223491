import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { withOverrides } from '../common/provider-overrides';
import { InboxModule } from '../inbox.module';
import { ChannelSessionController } from './channel-session.controller';
import { createWwebjsClient, WWEBJS_CLIENT_FACTORY } from './wwebjs-client.factory';
import { WwebjsSessionsService } from './wwebjs-sessions.service';

// WhatsApp channels with provider "web": one whatsapp-web.js session per channel (WWEBJS_ENABLED).
@Module({})
export class WwebjsModule {
  static forRoot(overrides: readonly Provider[] = []): DynamicModule {
    return {
      module: WwebjsModule,
      imports: [InboxModule],
      controllers: [ChannelSessionController],
      providers: withOverrides([WwebjsSessionsService, { provide: WWEBJS_CLIENT_FACTORY, useValue: createWwebjsClient }], overrides),
    };
  }
}
