import { lastRule } from '../lib/gitignore.js';
import { contentHash, renderSecret, secretDrift } from '../lib/k8s/secret.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';
import { ignoreInGit, notIgnored } from '../lib/secrets-ignored.js';

const SECRET = { name: 'app-secrets', namespace: 'services' } as const;

/**
 * 0-9 secrets: .env (and .foundation/, the run logs and reports) ignored by git, .env never committed
 * (the pre-commit secret scan of 0-1 guards the rest), and on Kubernetes the Secret app-secrets in services
 * holds exactly .env's secret variables. Only key names and an in-memory hash are ever compared or shown —
 * never a value.
 */
export default defineTask({
  id: '0-9',
  title: 'Secrets: .env ignored, Kubernetes Secret in sync',
  deps: ['0-1', '0-2'],
  hint: 'foundation run 0-9 (or: scripts/secrets-to-k8s)',
  async check(ctx): Promise<CheckResult> {
    // Committed, .env is "not ignored" however often .gitignore names it: say what happened instead.
    if (await ctx.git.isTracked('.env'))
      return {
        status: 'blocked',
        reason: '.env is committed to git: its secrets are in the repository and its history',
        hint: 'git rm --cached .env && git commit -m "Stop tracking .env"; then rotate every secret it held (empty them in .env and run: foundation run 0-1 0-9), since the history keeps the old values',
      };
    const exposed = await notIgnored(ctx);
    const gitignore = (await ctx.files.read('.gitignore')) ?? '';
    const overridden = exposed.filter((path) => lastRule(gitignore, path) === 'ignore');
    if (overridden.length > 0)
      return {
        status: 'blocked',
        reason: `.gitignore ignores ${overridden.join(' and ')}, yet git does not: another rule wins`,
        hint: `see which rule: git check-ignore -v --no-index ${overridden.join(' ')} (a .gitignore nearer the file, or the workspace inside a repository whose rules re-include it); remove it, then run foundation run 0-9`,
      };
    if (exposed.length > 0)
      return {
        status: 'drift',
        reason: `${exposed.join(' and ')} ${exposed.length > 1 ? 'are' : 'is'} not ignored by git`,
      };
    if (ctx.target === 'compose')
      return { status: 'ok', detail: '.env is ignored by git (Compose reads it directly)' };
    const entries = await ctx.secrets.values();
    const live = await ctx.kube.read({ apiVersion: 'v1', kind: 'Secret', metadata: SECRET });
    // The live values are hashed in memory and compared with .env's: a value edited in the cluster by
    // hand is drift too (the annotation alone would not show it). No value is ever shown or logged.
    const liveData = (live?.data as Record<string, string> | undefined) ?? {};
    const decoded = Object.fromEntries(
      Object.entries(liveData).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    const drift = secretDrift(
      entries,
      live === null ? null : { keys: Object.keys(liveData), hash: contentHash(decoded) },
    );
    // Written by earlier versions: an unsalted hash of the values, readable where the data is not.
    const stale = live?.metadata?.annotations?.['foundation/content-hash'] !== undefined;
    if (drift === null && stale)
      return { status: 'drift', reason: 'an old foundation/content-hash annotation (a hash of the values)' };
    if (drift === null)
      return {
        status: 'ok',
        detail: `${SECRET.namespace}/${SECRET.name} holds ${Object.keys(entries).length} secret(s) from .env`,
      };
    const parts = [
      live === null ? `${SECRET.namespace}/${SECRET.name} does not exist` : '',
      drift.added.length > 0 && live !== null ? `keys missing: ${drift.added.join(', ')}` : '',
      drift.removed.length > 0 ? `keys not in .env: ${drift.removed.join(', ')}` : '',
      drift.changed ? 'values differ from .env' : '',
    ].filter(Boolean);
    return { status: live === null ? 'missing' : 'drift', reason: parts.join('; ') };
  },
  async apply(ctx) {
    await ignoreInGit(ctx);
    if (ctx.target === 'compose') return;
    const entries = await ctx.secrets.values();
    await ctx.kube.apply({ ...renderSecret(SECRET.name, SECRET.namespace, entries) });
    ctx.log.info(
      `applied ${SECRET.namespace}/${SECRET.name} with keys ${Object.keys(entries).sort().join(', ') || '(none)'}`,
    );
  },
});
