import { FoundationError } from '../errors.js';
import { UI_NAMES, endpointSettings, platformEndpoints, type UiName } from '../endpoints/list.js';
import type { Browser } from '../ports/host.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import { jsonLine } from '../report/json-line.js';
import type { App } from './app.js';

const isUi = (name: string): name is UiName => (UI_NAMES as readonly string[]).includes(name);

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
  const opened = await browser.open(e.url);
  if (app.output === 'json')
    app.stdout(
      jsonLine('open', {
        name,
        url: e.url,
        login: e.login,
        ...(opened.opened ? { opened: true, command: opened.command } : { opened: false, why: opened.why }),
      }),
    );
  else if (opened.opened) app.stdout(`opened ${e.url} (${opened.command}); login: ${e.login}\n`);
  else app.stdout(`${e.url}\n`);
  if (!opened.opened && app.output !== 'json')
    app.stderr(`(not opened: ${opened.why}; open the address above yourself; login: ${e.login})\n`);
  return EXIT.ok;
}
