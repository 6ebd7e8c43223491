import { RecordingHttpServer, type FakeAnswer, type RecordedRequest } from './recording-http-server';

// The Slack Web API as chat.postMessage sees it (https://api.slack.com/methods/chat.postMessage):
// HTTP 200 with {ok:true, channel, ts} or {ok:false, error}; 429 with Retry-After when throttled.

export interface SlackPost {
  bearer: string | undefined;
  // chat.postMessage arguments; @slack/web-api sends them form-encoded with `blocks` as JSON.
  args: Record<string, any>;
}

export class SlackApiFake extends RecordingHttpServer {
  readonly posts: SlackPost[] = [];
  private issued = 0;
  // Overrides the answer for the n-th post (1-based); undefined → ok with a fresh ts.
  respond: (n: number, post: SlackPost) => FakeAnswer | undefined = () => undefined;

  // What a channel's config takes as apiBaseUrl (Slack's base includes /api/).
  get apiBaseUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  protected answer(request: RecordedRequest): FakeAnswer {
    if (request.method !== 'POST' || request.path !== '/api/chat.postMessage') return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const args: Record<string, any> = {};
    for (const [key, value] of new URLSearchParams(request.raw)) args[key] = key === 'blocks' ? JSON.parse(value) : value;
    const post: SlackPost = { bearer: request.headers.authorization?.replace(/^Bearer /, ''), args };
    this.posts.push(post);
    const override = this.respond(this.posts.length, post);
    if (override) return override;
    return { status: 200, body: { ok: true, channel: args.channel, ts: `1794303000.${String(++this.issued).padStart(6, '0')}`, message: { text: args.text } } };
  }
}

// A platform error: Slack answers 200 with ok:false.
export function slackError(error: string): FakeAnswer {
  return { status: 200, body: { ok: false, error } };
}
