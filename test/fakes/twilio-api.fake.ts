import { RecordingHttpServer, type FakeAnswer, type RecordedRequest } from './recording-http-server';

// A local Twilio Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP
// Basic auth and a form body, answered with a Message resource (snake_case, as Twilio does).
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource

export interface TwilioSend {
  accountSid: string;
  // The form fields; MediaUrl repeats.
  form: URLSearchParams;
  basicAuth: { username: string; password: string } | null;
  // The sid the fake answered with, when it created the message.
  sid?: string;
}

export class TwilioApiFake extends RecordingHttpServer {
  readonly sends: TwilioSend[] = [];
  // Message sids stay unique for the fake's lifetime, even when a test clears `sends`.
  private issued = 0;
  // Overrides the answer for the n-th send (1-based); undefined → 201 with a Message resource.
  respond: (n: number, send: TwilioSend) => FakeAnswer | undefined = () => undefined;

  // The bytes behind every Media URL (GET …/Messages/{sid}/Media/{sid}, Basic auth required as
  // with "Enforce HTTP Auth on Media URLs").
  mediaBytes = Buffer.from('ffd8ffe000104a46494600', 'hex');
  readonly mediaFetches: string[] = [];

  protected answer(request: RecordedRequest): FakeAnswer {
    const media = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/[^/]+\/Media\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && media) {
      const auth = basicAuth(request.headers.authorization);
      if (auth?.username !== media[1]) return twilioError(401, 20003, 'Authenticate');
      this.mediaFetches.push(media[2]!);
      return { status: 200, body: this.mediaBytes, headers: { 'content-type': 'image/jpeg' } };
    }
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.path);
    if (request.method !== 'POST' || !match) return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    const send: TwilioSend = { accountSid: match[1]!, form: new URLSearchParams(request.raw), basicAuth: basicAuth(request.headers.authorization) };
    this.sends.push(send);
    const override = this.respond(this.sends.length, send);
    if (override) return override;
    const sid = `SM${String(++this.issued).padStart(32, '0')}`;
    send.sid = sid;
    return {
      status: 201,
      body: {
        sid,
        account_sid: send.accountSid,
        to: send.form.get('To'),
        from: send.form.get('From'),
        body: send.form.get('Body') ?? '',
        status: 'queued',
        num_segments: '1',
        num_media: String(send.form.getAll('MediaUrl').length),
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${send.accountSid}/Messages/${sid}.json`,
      },
    };
  }
}

// Twilio's error body: https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
export function twilioError(status: number, code: number, message: string): FakeAnswer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function basicAuth(header: string | undefined): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
