import { RecordingHttpServer, type FakeAnswer, type RecordedRequest } from './recording-http-server';

// A local Meta Graph API for WhatsApp Cloud (providers.md §2 "Redirecting to a fake"):
// POST /{ver}/{phone-number-id}/messages and GET /{ver}/{media-id}, bearer-authenticated.
// Answers are shaped like shared/fixtures/whatsapp-cloud-send-response.json.

export interface GraphSend {
  phoneNumberId: string;
  body: any;
  bearer: string | undefined;
}

export class GraphApiFake extends RecordingHttpServer {
  readonly sends: GraphSend[] = [];
  readonly mediaLookups: string[] = [];
  accessToken = '';
  private issued = 0;
  // Overrides the answer for the n-th send (1-based); undefined → the documented success body.
  respond: (n: number, send: GraphSend) => FakeAnswer | undefined = () => undefined;

  // The bytes behind every media download URL this fake hands out.
  mediaBytes = Buffer.from('ffd8ffe000104a464946', 'hex');

  protected answer(request: RecordedRequest): FakeAnswer {
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (bearer !== this.accessToken) return graphError(401, 190, 'Invalid OAuth access token.');
    // The download URL from GET /{media-id} also needs the bearer token.
    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
    if (request.method === 'GET' && request.path === '/whatsapp_business/attachments/') {
      return { status: 200, body: this.mediaBytes, headers: { 'content-type': 'image/jpeg' } };
    }
    const send = /^\/(v\d+\.\d+)\/(\d+)\/messages$/.exec(request.path);
    if (request.method === 'POST' && send) {
      const recorded: GraphSend = { phoneNumberId: send[2]!, body: JSON.parse(request.raw), bearer };
      this.sends.push(recorded);
      const override = this.respond(this.sends.length, recorded);
      if (override) return override;
      const id = `wamid.fake${String(++this.issued).padStart(8, '0')}`;
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: recorded.body.to, wa_id: recorded.body.to }], messages: [{ id, message_status: 'accepted' }] } };
    }
    const media = /^\/(v\d+\.\d+)\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && media) {
      this.mediaLookups.push(media[2]!);
      return {
        status: 200,
        body: { messaging_product: 'whatsapp', url: `${this.baseUrl}/whatsapp_business/attachments/?mid=${media[2]}`, mime_type: 'image/jpeg', sha256: 'ad6bb6d2e55ddf02f315d9a85132d876f50a2ae2a443462e2b3f24f419fa1cd7', file_size: '98765', id: media[2] },
      };
    }
    return graphError(404, 100, 'Unsupported request');
  }
}

// Graph's error envelope: https://developers.facebook.com/docs/graph-api/guides/error-handling
export function graphError(status: number, code: number, message: string, details?: string): FakeAnswer {
  return { status, body: { error: { message, type: 'OAuthException', code, ...(details && { error_data: { messaging_product: 'whatsapp', details } }), fbtrace_id: 'AbCdEf123' } } };
}
