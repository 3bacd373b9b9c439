import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/test-servers/install puts everything (FOUNDATION_CACHE overrides). */
export const CACHE = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');
export const BIN = join(CACHE, 'bin');

/** Kafka's version is the one the install script resolved (its pom is the single source). */
export const KAFKA_VERSION = '4.3.1';
export const KAFKA_LIBS = join(CACHE, 'kafka', KAFKA_VERSION, 'libs');
