import type { KeyObject } from 'node:crypto';
import { mintBotFrameworkToken, teamsTestJwks, type BotFrameworkClaims } from '../../channels/teams/teams.fixtures';
import { RecordingHttpServer, type FakeAnswer, type RecordedRequest } from './recording-http-server';

// The Bot Framework as a bot sees it (providers.md §5, teams.md §11): the OpenID metadata and
// signing keys behind inbound JWTs, the Entra ID token endpoint, and a Bot Connector under
// `{baseUrl}/teams/` (the serviceUrl the activities carry).

export interface ConnectorPost {
  conversationId: string;
  authorization: string | undefined;
  activity: any;
}

export class BotFrameworkFake extends RecordingHttpServer {
  readonly tokenRequests: URLSearchParams[] = [];
  readonly posts: ConnectorPost[] = [];
  readonly accessToken = 'fake-bot-framework-access-token';
  private issued = 0;
  // Overrides the answer for the n-th activity post (1-based); undefined → 201 {id}.
  respond: (n: number, post: ConnectorPost) => FakeAnswer | undefined = () => undefined;

  get openIdMetadataUrl(): string {
    return `${this.baseUrl}/v1/.well-known/openidconfiguration`;
  }
  get tokenUrl(): string {
    return `${this.baseUrl}/botframework.com/oauth2/v2.0/token`;
  }
  get serviceUrl(): string {
    return `${this.baseUrl}/teams/`;
  }

  // The Authorization header the Bot Connector would send with `activity`, signed with the test key.
  authorization(activity: { serviceUrl?: string }, claims: BotFrameworkClaims = {}, nowMs?: number, key?: KeyObject): string {
    return `Bearer ${mintBotFrameworkToken({ ...(activity.serviceUrl !== undefined && { serviceurl: activity.serviceUrl }), ...claims }, nowMs, key)}`;
  }

  protected answer(request: RecordedRequest): FakeAnswer {
    if (request.path === '/v1/.well-known/openidconfiguration') {
      return { status: 200, body: { issuer: 'https://api.botframework.com', jwks_uri: `${this.baseUrl}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] } };
    }
    if (request.path === '/v1/.well-known/keys') return { status: 200, body: teamsTestJwks() };
    if (request.path === '/botframework.com/oauth2/v2.0/token' && request.method === 'POST') {
      this.tokenRequests.push(new URLSearchParams(request.raw));
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.accessToken } };
    }
    const match = /^\/teams\/v3\/conversations\/([^/]+)\/activities$/.exec(request.path);
    if (match && request.method === 'POST') {
      const post: ConnectorPost = { conversationId: decodeURIComponent(match[1]!), authorization: request.headers.authorization, activity: JSON.parse(request.raw) };
      this.posts.push(post);
      const override = this.respond(this.posts.length, post);
      if (override) return override;
      return { status: 201, body: { id: `17943031${String(++this.issued).padStart(5, '0')}` } };
    }
    return { status: 404, body: { error: { code: 'NotFound', message: request.path } } };
  }
}
