// What a test starts or creates, undone after it whatever the test did: servers stopped, scratch folders removed.
import { afterEach } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Stoppable {
  stop(): void;
}

/** Registers one afterEach in the calling test file and returns what to hand to it. */
export function cleanUpAfterEachTest() {
  const servers: Stoppable[] = [];
  const folders: string[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.stop();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  return {
    /** `server`, stopped after the test. */
    stopAfterTest<T extends Stoppable>(server: T): T {
      servers.push(server);
      return server;
    },
    /** A new empty folder in the system's temporary folder, removed after the test. */
    scratchFolder(prefix: string): string {
      const folder = mkdtempSync(join(tmpdir(), prefix));
      folders.push(folder);
      return folder;
    },
  };
}
