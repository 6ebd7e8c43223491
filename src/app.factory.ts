import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, type AppOptions } from './app.module';
import { fastifyLoggerOptions, PinoNestLogger } from './common/logging';
import { ERROR_STATUS } from './common/errors';
import type { AppConfig } from './config/app-config';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { webhookPlugin } from './webhooks/webhook.plugin';
import { chatUploadDocs, chatUploadPlugin } from './chat/chat-upload.plugin';
import { ChatUploadsService } from './chat/chat-uploads.service';
import { WebhookService } from './webhooks/webhook.service';
import { webAppDir, webAppStatus } from './web-app/web-app.location';
import { webAppPlugin } from './web-app/web-app.plugin';

// Builds the whole server (HTTP, webhooks, socket.io); main.ts and the tests share it.
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    trustProxy: true,
    logger: fastifyLoggerOptions(config.logLevel, options.logStream),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
  });
  app.useLogger(new PinoNestLogger(app.getHttpAdapter().getInstance().log));
  app.enableShutdownHooks();

  if (config.redisUrl) app.useWebSocketAdapter(new RedisIoAdapter(app, config.redisUrl));
  await app.register(webhookPlugin(app.get(WebhookService), config.maxBodyBytes));
  await app.register(chatUploadPlugin(app.get(ChatUploadsService), config.chat.uploadMaxBytes));
  const webApp = webAppStatus(options.webAppDir ?? webAppDir());
  if (webApp.served) await app.register(webAppPlugin(webApp.root));
  else new Logger('AgentApp').warn(`Agent app not served: ${webApp.reason}; the API works without it`);

  // No error handler of ours on the root Fastify instance: Nest installs its exception layer
  // there when the app starts (a second one in the same scope replaces the first, FSTWRN004),
  // and Fastify's own errors on Nest's routes (body too large, malformed JSON) already reach the
  // AllExceptionsFilter through it. The webhook and upload routes, in their own Fastify contexts,
  // set theirs.

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Parley')
      .setDescription(
        'Omnichannel digital inbox. Errors are `{statusCode, code, message, details}`; codes: ' +
          Object.entries(ERROR_STATUS)
            .map(([code, status]) => `\`${code}\` (${status})`)
            .join(', '),
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  document.paths['/webhooks/{channelId}'] = webhookDocs;
  document.paths['/api/v1/chat/{channelId}/attachments'] = { ...document.paths['/api/v1/chat/{channelId}/attachments'], ...chatUploadDocs };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

// The webhook route is served outside Nest's router (raw bodies); documented here by hand.
const webhookParams = [{ name: 'channelId', in: 'path' as const, required: true, schema: { type: 'string' as const, format: 'uuid' } }];
const webhookResponses = {
  '200': { description: 'Stored (or a repeated delivery of a stored message). BYOC: `{id, caseId, duplicate}`' },
  '400': { description: 'MALFORMED_PAYLOAD' },
  '401': { description: 'INVALID_SIGNATURE (bad or missing signature, stale timestamp)' },
  '404': { description: 'NOT_FOUND: unknown or disabled channel' },
  '413': { description: 'PAYLOAD_TOO_LARGE' },
  '503': { description: 'UNAVAILABLE: could not store; the provider should retry' },
};
const webhookDocs = {
  post: { tags: ['webhooks'], summary: "Provider → Parley, in the provider's own format and signature scheme", parameters: webhookParams, responses: webhookResponses },
  get: { tags: ['webhooks'], summary: "Meta's hub.challenge handshake", parameters: webhookParams, responses: { '200': { description: 'The challenge' } } },
};
