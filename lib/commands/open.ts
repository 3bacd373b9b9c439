import { decodeOrKeep, isSecretParam } from '../telemetry/secret-values.js';
import { FoundationError } from '../errors.js';
import { UI_NAMES, endpointSettings, platformEndpoints, type UiName } from '../endpoints/list.js';
import type { Browser } from '../ports/host.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import { jsonLine } from '../report/json-line.js';
import type { App } from './app.js';

const isUi = (name: string): name is UiName => (UI_NAMES as readonly string[]).includes(name);

/**
 * The address without its credentials (user and password, and query or fragment parameters that carry
 * one: `?token=`, `#access_token=`), and whether it had any. Pure.
 */
export function withoutCredentials(address: string): { url: string; userinfo: boolean } {
  if (!URL.canParse(address)) return { url: address, userinfo: false };
  const u = new URL(address);
  const keep = (part: string): string =>
    part
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isSecretParam(decodeOrKeep(pair.split('=')[0] ?? '')))
      .join('&');
  const [search, hash] = [keep(u.search), keep(u.hash)];
  const stripped =
    u.username !== '' || u.password !== '' || search !== u.search.slice(1) || hash !== u.hash.slice(1);
  if (!stripped) return { url: address, userinfo: false };
  const path = u.pathname === '/' && !address.includes(`${u.host}/`) ? '' : u.pathname;
  return {
    url: `${u.protocol}//${u.host}${path}${search ? `?${search}` : ''}${hash ? `#${hash}` : ''}`,
    userinfo: true,
  };
}

/**
 * `foundation open <grafana|console|prometheus|alertmanager>`: the UI's address in the browser (`open`,
 * `xdg-open`), or printed when there is no browser to open it in. An unknown name is a usage error
 * listing the names; a target without an address for it says how to get one (exit 2).
 */
export async function openCommand(app: App, name: string, browser: Browser): Promise<ExitCode> {
  if (!isUi(name))
    throw new FoundationError(
      'E_USAGE',
      `there is no UI named "${name}"`,
      `name one of: ${UI_NAMES.join(', ')} (e.g. foundation open grafana)`,
    );
  const e = platformEndpoints(app.config.target, endpointSettings(app.config)).find((x) => x.name === name);
  if (e?.url == null)
    throw new FoundationError('E_USAGE', `${name} has no address on target ${app.config.target}`, e?.hint);
  // Credentials in the setting (http://user:token@host) are never passed on: an opener's arguments are
  // visible to every user of the machine (ps), and a printed address with *** in it cannot be used.
  const { url, userinfo } = withoutCredentials(e.url);
  const login = userinfo ? `the credentials in ${e.setting} (.env)` : e.login;
  const opened = await browser.open(url);
  if (app.output === 'json')
    app.stdout(
      jsonLine('open', {
        name,
        url,
        login,
        ...(opened.opened ? { opened: true, command: opened.command } : { opened: false, why: opened.why }),
      }),
    );
  else if (opened.opened) app.stdout(`opened ${url} (${opened.command}); login: ${login}\n`);
  else app.stdout(`${url}\n`);
  if (!opened.opened && app.output !== 'json')
    app.stderr(`(not opened: ${opened.why}; open the address above yourself; login: ${login})\n`);
  return EXIT.ok;
}
