import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineService } from '../src/service.js';
import { createLogger, createRegistry } from '../src/telemetry/index.js';
import { testApp, testConfig } from './helpers.js';
// kit:any
import { unusedKit } from './helpers.js';
// kit:end

describe('__SERVICE_NAME__', () => {
  it('says who it is', async () => {
    const config = testConfig();
    const service = defineService({
      config,
      logger: createLogger({ name: 't', level: 'silent' }),
      bus: null,
      registry: createRegistry(),
      // kit:any
      ...unusedKit(),
      // kit:end
    });
    const { app } = await testApp(service);
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      service: '__SERVICE_NAME__',
      version: '0.1.0',
      description: '__SERVICE_DESCRIPTION__',
    });
  });
});
