/** The API's own paths (`req.path`, no query); everything else is the console's files. */
export const API_PATHS = /^\/(v\d+|docs|docs-json|docs-yaml|health|codec)(\/|$)/;

/** The few parts of Express' request and response the API touches (the project has no @types/express). */
export interface HttpRequest {
  method: string;
  url: string;
  originalUrl?: string;
  path: string;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpResponse {
  headersSent: boolean;
  status(code: number): HttpResponse;
  location(url: string): HttpResponse;
  type(contentType: string): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}
