import type { FastifyInstance } from 'fastify';
import type { WebhookService } from './webhook.service';

// The webhook route lives in its own Fastify context so that it can keep every body as raw
// bytes, whatever its content type: signatures are checked over those exact bytes before any
// parsing (Meta signs escaped JSON, Twilio signs form fields, Slack the raw body).
export function webhookPlugin(service: WebhookService, bodyLimit: number) {
  return async (instance: FastifyInstance): Promise<void> => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    instance.route<{ Params: { channelId: string }; Querystring: Record<string, string> }>({
      method: ['GET', 'POST'],
      url: '/webhooks/:channelId',
      bodyLimit,
      handler: async (request, reply) => {
        const result = await service.handle(request.params.channelId, {
          method: request.method,
          headers: request.headers,
          query: request.query ?? {},
          rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        });
        return reply
          .status(result.status)
          .header('content-type', result.contentType ?? 'application/json; charset=utf-8')
          .send(result.body);
      },
    });
  };
}
