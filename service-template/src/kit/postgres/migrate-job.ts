// `node dist/src/kit/postgres/migrate-job.js`: the service's migrations as a job of their own (a Kubernetes
// Job before a rollout, the service running with DB_MIGRATE=off): the service's table, lock and files,
// exactly as a start-up migration, then exit — 0 migrated or already up to date, 1 a migration failed or
// the database cannot be reached, 2 a setting is missing or invalid (or names no folder). It reads only
// the service's identity and the postgres settings: a job given DATABASE_URL alone does not need the other
// parts' (REDIS_URL…).
import { ConfigError, identitySettings, loadSettings } from '../../config.js';
import { StartupError } from '../../errors.js';
import { serviceLogger } from '../../server.js';
import { migrateOptions, postgresSettings } from './index.js';
import { migrate } from './migrate.js';

const jobSettings = { ...identitySettings, ...postgresSettings };

async function main(): Promise<number> {
  let config: ReturnType<typeof loadSettings<typeof jobSettings>>;
  try {
    config = loadSettings(jobSettings, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nfix: set the variables above (see docs/postgres.md)\n`);
    return 2;
  }
  const logger = serviceLogger(config);
  try {
    await migrate(migrateOptions(config, { serviceName: config.SERVICE_NAME, logger }));
    return 0;
  } catch (error) {
    // A folder that is not there is a setting to correct (exit 2, as for one that is invalid).
    if (error instanceof StartupError) {
      logger.fatal({ error: error.message, fix: error.fix }, 'migrations failed');
      return 2;
    }
    logger.fatal({ err: error }, 'migrations failed');
    return 1;
  }
}

process.exitCode = await main();
