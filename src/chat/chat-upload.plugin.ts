import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../auth/token.service';
import { toErrorBody } from '../common/error-body';
import type { ChatUploadsService } from './chat-uploads.service';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// POST /api/v1/chat/{channelId}/attachments: the file is the raw request body, its type the
// Content-Type, its name X-File-Name. It lives in its own Fastify context to take any content
// type as bytes, up to CHAT_UPLOAD_MAX_BYTES (larger than the API's MAX_BODY_BYTES).
export function chatUploadPlugin(uploads: ChatUploadsService, bodyLimit: number) {
  return async (instance: FastifyInstance): Promise<void> => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    instance.setErrorHandler((error, request, reply) => {
      const body = toErrorBody(error);
      const origin = header(request.headers.origin);
      if (origin) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      void reply.status(body.statusCode).send(body);
    });
    instance.route<{ Params: { channelId: string } }>({
      method: 'POST',
      url: '/api/v1/chat/:channelId/attachments',
      bodyLimit,
      handler: async (request, reply) => {
        const origin = header(request.headers.origin);
        // Cross-origin from the customer's site (preflight: ChatController).
        if (origin) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        const stored = await uploads.upload({
          channelId: request.params.channelId,
          token: bearerToken(request.headers.authorization),
          origin,
          contentType: header(request.headers['content-type']),
          fileName: header(request.headers['x-file-name']),
          data: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        });
        return reply.status(201).send(stored);
      },
    });
  };
}

// Served outside Nest's router (raw bodies): documented here by hand.
export const chatUploadDocs = {
  post: {
    tags: ['chat'],
    summary: 'Uploads a file for the visitor (Bearer visitorToken): the raw body, its Content-Type and X-File-Name → 201 {url, contentType, name, size}; send the url in content.attachments',
    parameters: [{ name: 'channelId', in: 'path' as const, required: true, schema: { type: 'string' as const, format: 'uuid' } }],
    responses: {
      '201': { description: '{url, contentType, name, size}' },
      '400': { description: 'VALIDATION_FAILED: empty file' },
      '401': { description: 'UNAUTHORIZED: missing or invalid visitor token' },
      '403': { description: 'FORBIDDEN: Origin not in allowedOrigins' },
      '404': { description: 'NOT_FOUND: unknown or disabled chat channel' },
      '413': { description: 'PAYLOAD_TOO_LARGE: above CHAT_UPLOAD_MAX_BYTES' },
      '415': { description: 'UNSUPPORTED_MEDIA_TYPE: not in CHAT_UPLOAD_TYPES' },
    },
  },
};
