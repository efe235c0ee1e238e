#!/usr/bin/env node
import { run } from "./run";

// The `strata` executable: run, then let Node exit once the store's connections are closed.
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // A store that leaves a handle open (a reconnect timer) must not keep the shell waiting.
  setTimeout(() => process.exit(code), 250).unref();
});
