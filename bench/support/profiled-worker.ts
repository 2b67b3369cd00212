// The worker under `--cpu-prof` (BENCH_CPU_PROF): V8 writes the profile only on a normal exit,
// and Nest's shutdown hooks end the process by re-raising the signal, so the bench asks for the
// exit with SIGUSR2 instead.
process.once('SIGUSR2', () => process.exit(0));
await import('../../src/worker.js');
