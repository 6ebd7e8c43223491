import type { FastifyInstance } from 'fastify';
import { toErrorBody } from '../common/error-body';
import type { WebhookService } from './webhook.service';

// The webhook route lives in its own Fastify context so that it can keep every body as raw
// bytes, whatever its content type: signatures are checked over those exact bytes before any
// parsing (Meta signs escaped JSON, Twilio signs form fields, Slack the raw body).
export function webhookPlugin(service: WebhookService, bodyLimit: number) {
  return async (instance: FastifyInstance): Promise<void> => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    // Fastify's own refusals (a body over the limit) in the API's error shape. This context is
    // outside Nest's exception layer, and was created before Nest installed it.
    instance.setErrorHandler((error, _request, reply) => {
      const body = toErrorBody(error);
      void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
    });
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
