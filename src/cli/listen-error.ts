import type { Config } from '../config.ts';
import { freePortFix, servedByOrchard } from '../modules/system/index.ts';
import { CliError } from './run.ts';

/**
 * What to do when Orchard could not listen on its address, as one line for the terminal (running
 * `npm start` twice is the usual cause); undefined for any other error.
 */
export async function listenError(error: unknown, config: Pick<Config, 'host' | 'port'>) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const { host, port } = config;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    if (await servedByOrchard(port, host))
      return new CliError(
        `${where} is already served by Orchard (http://${where}): use that one, or stop it first. To run another beside it, choose a free port: --port <port> or ORCHARD_PORT=<port>.`,
      );
    return new CliError(`${where} is used by another program. ${freePortFix(port)}.`);
  }
  if (code === 'EACCES')
    return new CliError(
      `Not allowed to listen on ${where} (ports below 1024 need privileges): choose another port: --port <port> or ORCHARD_PORT=<port>.`,
    );
  if (code === 'ENOTFOUND')
    return new CliError(
      `${host} is not a name this machine can resolve: choose another --host (ORCHARD_HOST), such as localhost or 0.0.0.0.`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new CliError(
      `${host} is not an address of this machine: choose another --host (ORCHARD_HOST), such as localhost or 0.0.0.0.`,
    );
  return undefined;
}
