// resolveTarget without a full URL parse per call: the origin part is parsed once and kept (services call
// a handful of origins), the path is taken as it is when it needs no normalising. Anything unusual
// (credentials, dot segments, characters a URL would escape) goes through the full parse.
import { resolveTarget, resolvedFrom, type OriginInfo, type ResolvedTarget, type Target } from './target.js';

/** Plain origin: scheme://host[:port] without credentials. */
const ORIGIN = /^https?:\/\/[^/?#@\\]+$/i;
/** A path a URL parser would leave as it is (no dot segments, nothing to escape, no fragment). */
const PLAIN_PATH = /^(?![^?]*(\/\.|%2e))\/[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*$/i;
const MAX_ORIGINS = 256;

export function targetResolver(): (target: Target) => ResolvedTarget {
  const origins = new Map<string, OriginInfo | null>();
  const originInfo = (origin: string): OriginInfo | null => {
    let info = origins.get(origin);
    if (info === undefined) {
      info = ORIGIN.test(origin) ? resolveTarget(`${origin}/`) : null;
      if (info !== null && info.authorization !== undefined) info = null;
      if (origins.size < MAX_ORIGINS) origins.set(origin, info);
    }
    return info;
  };
  const fast = (origin: string, path: string, target: Target): ResolvedTarget => {
    const info = PLAIN_PATH.test(path) ? originInfo(origin) : null;
    return info === null ? resolveTarget(target) : resolvedFrom(info, path);
  };
  return (target) => {
    if (target instanceof URL) return resolveTarget(target);
    if (typeof target !== 'string') return fast(target.origin.replace(/\/$/, ''), target.path, target);
    const slash = target.indexOf('/', target.indexOf('//') + 2);
    if (slash === -1 || target.indexOf('//') === -1) return resolveTarget(target);
    return fast(target.slice(0, slash), target.slice(slash), target);
  };
}
