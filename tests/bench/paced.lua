-- Each connection waits 200 ms between requests: 1,000 connections offer ~5,000 req/s,
-- the way 1,000 real clients behave, so the latency measured is the server's, not the queue's.
function delay()
  return 200
end
