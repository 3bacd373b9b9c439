/** The basic-auth header of a user and password (RFC 7617). Pure; the header is never shown. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * A URL with credentials in it (`https://user:token@mirror.example/…`, a PROMETHEUS_URL behind basic
 * auth) as fetch can take it: the URL without them and the basic-auth header they make. fetch refuses a
 * URL carrying credentials ("Request cannot be constructed from a URL that includes credentials").
 * Pure; the header is never shown (the redactor masks the credentials as configured secrets).
 */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url }; // fetch says what is wrong with it
  }
  if (parsed.username === '' && parsed.password === '') return { url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.href,
    authorization: basicAuth(user, password),
  };
}
