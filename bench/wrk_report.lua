-- wrk's summary as one machine-readable line for scripts/bench: counts, errors and latency
-- percentiles in microseconds, exact from wrk's histogram (no unit parsing).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d bytes=%d rps=%.1f connect_errors=%d read_errors=%d write_errors=%d " ..
    "status_errors=%d timeouts=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
