// Which values are secret, by where they sit: a setting named like a secret, the credentials a URL carries
// (user:password, a long user name standing alone, credential-like query and fragment parameters). One rule
// for Foundation's own settings and for every service built from the template, whose logs, errors and
// spans mask the same values.

/**
 * Setting names that say the value is a secret: a password, passphrase, token or credential at the end;
 * a key that is one (API, private, secret, access, signing, encryption, master); SECRET at the end or
 * followed by _KEY/_ACCESS (AWS_SECRET_ACCESS_KEY, SECRET_KEY_BASE); a DSN or a webhook (their URLs carry
 * the key). Not PARTITION_KEY, DISABLE_AUTH, K8S_SECRET_NAME or SECRETS_DIR: masking those would mangle
 * ordinary output.
 */
export const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|_PASS|_PWD|TOKEN|APIKEY|(API|PRIVATE|SECRET|ACCESS|SIGNING|ENCRYPTION|MASTER)_KEY|CREDENTIALS?|SECRET|_DSN|WEBHOOK(_URL)?)$|SECRET_(KEY|ACCESS)/i;

/**
 * Query or fragment parameters that carry a credential, by a word in their name: `?token=`,
 * `private_token` (GitLab), `access_token` (OAuth, also after `#`), `client_secret`, `api_key`,
 * `subscription-key`, a signed URL's `sig`, `X-Amz-Signature`, `X-Goog-Signature`, `X-Amz-Credential`,
 * `X-Amz-Security-Token`, `AWSAccessKeyId`, `session_id`, OAuth's `code`. Not a name that only describes
 * one (`token_type=bearer`, `SignatureMethod=HmacSHA256`): its value is a common word, masked everywhere.
 */
const SECRET_WORD =
  /token|secret|passw(or)?d|pwd|signature|credential|session[-_]?id|api[-_]?key|access[-_]?key|private[-_]?key|[-_.]key$|^(key|sig|auth|authorization|session|jwt|sid|code|pass|pw)$/i;
const DESCRIBES_ONE = /(type|method|version|expires?(_?in)?)$/i;

/** Percent-decoded, or as written when it is not valid percent-encoding. Pure. */
export function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Whether a URL parameter of this name carries a credential. Pure. */
export const isSecretParam = (name: string): boolean => SECRET_WORD.test(name) && !DESCRIBES_ONE.test(name);

/**
 * The credentials a URL carries, as written and decoded: the password (`https://user:token@host`), a user
 * name standing alone when it is long (`https://<token>@host`, as tokens are often given) and the values of
 * credential-like query and fragment parameters (`?api_key=…`, `#access_token=…`). [] for anything else.
 */
export function urlCredentials(text: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || !URL.canParse(text)) return [];
  const url = new URL(text);
  const found: string[] = [];
  if (url.password !== '')
    found.push(url.password, decodeOrKeep(url.password), `${url.username}:${url.password}`);
  // A user name alone is a token when it is long (`https://<token>@host`); `https://foundation@host` is not.
  else if (url.username.length >= 16) found.push(url.username, decodeOrKeep(url.username));
  // `+` is a space once decoded.
  for (const pair of [...url.search.slice(1).split('&'), ...url.hash.slice(1).split('&')]) {
    const [name = '', raw = ''] = pair.split(/=(.*)/s);
    if (!isSecretParam(decodeOrKeep(name)) || raw === '') continue;
    const value = decodeOrKeep(raw.replace(/\+/g, ' '));
    found.push(raw, value, encodeURIComponent(value));
  }
  return [...new Set(found)];
}

/** A URL and its credentials, longest first, to mask in text that may quote it; [] when it carries none. */
export function urlSecrets(text: string): string[] {
  const credentials = urlCredentials(text);
  return credentials.length === 0 ? [] : longestFirst([text, ...credentials]);
}

/**
 * The secret values among settings: the whole value of a secret-named one, the URL and its credentials for
 * any other (DATABASE_URL=postgres://app:pw@db/app, a collector endpoint with `?api_key=`). Longest first.
 */
export function settingSecrets(settings: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'string' || value === '') continue;
    if (SECRET_NAME.test(name)) found.push(value);
    found.push(...urlSecrets(value));
  }
  return longestFirst(found);
}

/** `text` with every occurrence of each secret replaced by `***` (the longest first, so none is left half). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of longestFirst(secrets)) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

function longestFirst(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}
