import { redactUrl, scrubSecrets } from './logging';

describe('redactUrl', () => {
  it('redacts credential-like query parameters in any case, keeping the rest', () => {
    expect(redactUrl('/v1/deliveries?token=abc&limit=5')).toBe('/v1/deliveries?token=[redacted]&limit=5');
    expect(redactUrl('/x?Access_Token=a&API_KEY=b&PassWord=c&apikey=d&refresh-token=e&x=1')).toBe(
      '/x?Access_Token=[redacted]&API_KEY=[redacted]&PassWord=[redacted]&apikey=[redacted]&refresh-token=[redacted]&x=1',
    );
    expect(redactUrl('/x?%74oken=abc')).toBe('/x?%74oken=[redacted]'); // percent-encoded key
    expect(redactUrl('/x?token')).toBe('/x?token=[redacted]');
    expect(redactUrl('/v1/environments')).toBe('/v1/environments');
    expect(redactUrl('/x?tokenizer=on&passwords_hint=x')).toBe('/x?tokenizer=on&passwords_hint=x');
  });
});

describe('scrubSecrets', () => {
  it('scrubs passwords, tokens and API keys from messages', () => {
    expect(scrubSecrets('GET /x?api_key=abc failed; token: t1, postgres://u:pw@h/db')).toBe('GET /x?api_key=*** failed; token: ***, postgres://u:***@h/db');
  });
});
