// The parts of autocannon's API the bench uses (it ships no types).
declare module 'autocannon' {
  namespace autocannon {
    type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string; setupRequest?: (req: Request) => Request; onResponse?: (status: number, body: string) => void };
    type Options = { url: string; connections?: number; duration?: number; method?: string; headers?: Record<string, string>; body?: string; requests?: Request[]; overallRate?: number };
    type Result = { '2xx': number; non2xx: number; duration: number; latency: { p50: number; p99: number; average: number } };
  }
  function autocannon(opts: autocannon.Options, cb: (err: Error | null, res: autocannon.Result) => void): unknown;
  export default autocannon;
}
