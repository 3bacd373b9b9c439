// Real servers for the kit's tests: a test file asks for one by the variable that points at it, e.g.
//   const db = realServer('TEST_DATABASE_URL', 'PostgreSQL 17');
//   describe('…', { skip: db.skip }, () => { … db.url … });
// Unset locally: the tests skip, saying what to set. Unset under CI=true: a failure, so a green CI run
// always ran them. Foundation's own suite sets them from its test servers (scripts/test-servers).
export interface RealServer {
  readonly url: string;
  /** false when the server is given; otherwise why the tests skip. */
  readonly skip: string | false;
}

export function realServer(variable: string, what: string): RealServer {
  const url = process.env[variable];
  if (url) return { url, skip: false };
  const why = `${variable} is not set: point it at a ${what} the tests may write to`;
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: these tests may not skip)`);
  return { url: '', skip: why };
}
