// The template's app with the auth part registered, a few routes that show claims and scopes, and the
// app's in-memory log (to check no token is ever written).
import type { FastifyInstance } from 'fastify';
import type { Registry } from '@prometheus-io/client';
import { z } from 'zod';
import { authSettings, startAuth, type AuthHandle } from '../../../src/kit/auth/index.js';
import type { StartedPart } from '../../../src/kit/part.js';
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import { jsonLines, testApp } from '../../helpers.js';
import { AUDIENCE, ISSUER } from './jwks-server.js';

export interface AuthApp {
  readonly app: FastifyInstance;
  readonly part: StartedPart<AuthHandle>;
  readonly logs: Record<string, unknown>[];
  /** The part's own log lines (the app's are in `logs`). */
  readonly partLogs: Record<string, unknown>[];
  readonly registry: Registry;
  /** Close the app, then the part: once a test is done with them. */
  close(): Promise<void>;
}

export async function authApp(jwksUrl: string, env: Record<string, string> = {}): Promise<AuthApp> {
  const settings = z.object(authSettings).parse({
    AUTH_JWKS_URL: jwksUrl,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    ...env,
  });
  const { logs: partLogs, destination } = jsonLines();
  const logger = createLogger({ name: 'items', level: 'debug', destination });
  const registry = createRegistry({ defaultMetrics: false });
  const part = await startAuth(settings, { serviceName: 'items', logger, registry });
  const { app, logs } = await testApp(
    {
      topics: [],
      handle: async () => undefined,
      async routes(app) {
        await part.register?.(app);
        app.get('/me', async (request) => request.claims);
        app.post('/items', { preHandler: part.handle.requireScope('items:write') }, async (_request, reply) =>
          reply.status(201).send({ created: true }),
        );
        app.get('/docs', async () => ({ public: true }));
        app.get('/boom', async () => {
          throw new Error('it broke');
        });
      },
    },
    [],
    { LOG_LEVEL: 'debug' },
  );
  const close = async (): Promise<void> => {
    await app.close();
    await part.close();
  };
  return { app, part, logs, partLogs, registry, close };
}
