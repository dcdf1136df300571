/** Stops the local stack the global setup started (SIGINT, as Ctrl-C would). */
export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.CENTLI_TEST_STACK_PID);
  if (!pid) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(-pid, 'SIGKILL');
}
