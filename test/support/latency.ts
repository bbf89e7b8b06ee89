// Polls an endpoint one request at a time while something else happens and
// records how long each answer took: how long another request was kept
// waiting. The poller runs on the desk's own event loop (as every test
// desk does), so a stalled loop shows as a slow answer.
export type LatencyProbe = { stop(): Promise<{ count: number; max: number; p99: number; samples: number[] }> };

export function pollLatency(url: string, everyMs = 10): LatencyProbe {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      samples.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...samples].sort((a, b) => a - b);
      return { count: samples.length, max: sorted[sorted.length - 1] ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0, samples };
    },
  };
}

/** A few requests first, so that connection set-up and first-call compilation are not counted. */
export async function warmUp(url: string, times = 20): Promise<void> {
  for (let i = 0; i < times; i++) await (await fetch(url)).arrayBuffer();
}
