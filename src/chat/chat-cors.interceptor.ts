import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

// The widget calls the chat routes from the customer's site, another origin: browsers need CORS.
// Any origin may ask; which origins a channel accepts is its allowedOrigins, checked by the
// routes themselves (403). Visitor tokens travel in the Authorization header, never in cookies,
// so no credentials are allowed.
@Injectable()
export class ChatCorsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const origin = request.headers.origin;
    if (origin) {
      void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        void reply
          .header('access-control-allow-methods', 'GET, POST, OPTIONS')
          .header('access-control-allow-headers', 'authorization, content-type, x-file-name')
          .header('access-control-max-age', '600');
      }
    }
    return next.handle();
  }
}
