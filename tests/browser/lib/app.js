// The real server for one test file: `ostoja serve` on a fresh SQLite database in a temporary directory, on a free
// loopback port, with the one-time set-up link it prints on first start. Accounts are made with the real CLI.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

/** The binary `run.sh` built (or OSTOJA_BIN). */
export function binary() {
  if (process.env.OSTOJA_BIN) return process.env.OSTOJA_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? fileURLToPath(new URL('../../../target', import.meta.url));
  return join(target, 'debug', 'ostoja');
}

export class App {
  static async start(extraEnv = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ostoja-browser-'));
    const env = { ...process.env, OSTOJA_DATA_DIR: dataDir, OSTOJA_LOG: 'warn', ...extraEnv };
    delete env.OSTOJA_DATABASE_URL;
    const child = spawn(binary(), ['serve', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const setupLink = await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`server did not print its set-up link:\n${out}\n${err}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/setup\/\S+/);
        if (m) {
          clearTimeout(timer);
          ok(m[0]);
        }
      });
      child.on('error', fail);
      child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${out}\n${err}`)));
    });
    const app = new App();
    Object.assign(app, { child, dataDir, env, setupLink, base: new URL(setupLink).origin, stderr: () => err });
    return app;
  }

  url(path) {
    return this.base + path;
  }

  /** Runs the real CLI against the same data directory (SQLite in WAL mode takes a second writer). */
  async cli(...args) {
    const { stdout } = await run(binary(), args, { env: this.env });
    return stdout;
  }

  /** `ostoja user add`: returns the one-time activation link it prints (with the server's address). */
  async addAccount(teryt, login, roles, name = '') {
    // Every account has signed its confidentiality declaration (art. 9c ust. 3): without one, staff and group
    // members see no case data.
    const out = await this.cli('user', 'add', '--tenant', teryt, '--login', login, '--name', name || login,
      '--declaration-signed-on', '2020-01-01', '--role', ...roles);
    const path = out.match(/\/activate\/\S+/)[0];
    return this.url(path);
  }

  async stop() {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.on('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
