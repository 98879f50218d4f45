/**
 * How the console proves who is signed in. Today: an API bearer token, kept in sessionStorage
 * (gone with the tab, never in a URL). An OIDC sign-in can implement the same interface later.
 */
export interface SignInMethod {
  /** The Authorization header value for API calls, or null when signed out. */
  authorization(): string | null;
  signOut(): void;
}

const KEY = 'sdo.console.token';

export class BearerTokenSignIn implements SignInMethod {
  constructor(private readonly storage: Storage = window.sessionStorage) {}

  remember(token: string): void {
    this.storage.setItem(KEY, token.trim());
  }

  authorization(): string | null {
    const token = this.storage.getItem(KEY);
    return token ? `Bearer ${token}` : null;
  }

  signOut(): void {
    this.storage.removeItem(KEY);
  }
}

export const signIn = new BearerTokenSignIn();
