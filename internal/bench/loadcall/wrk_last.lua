-- {{.Count}} prepared last-step requests to {{.Target}}, each sent at most once.
--
--   wrk -t{{.Shares}} -c32 -d10s -s THIS_FILE {{.Target}} [-- THREADS]
--
-- The requests are split into THREADS shares ({{.Shares}} unless given after
-- --; it must equal wrk's -t): thread k sends requests k+1, k+1+THREADS, ...
-- and nothing else, and stops once its share is answered. response()
-- counts answers that are not 200 or lack the expected text; done() prints
-- one line of name=value: the pool, what the threads took of it, what was
-- sent and answered, how many
-- answers were wrong, whether the pool ran out, and the rate over the time
-- requests were answered (wrk's own rate is over the whole -d, idle or not).

shares = {{.Shares}} -- in a thread, what init was given
local expect = {{.Expect}}

-- One request a line: method, target, body, then header names and values,
-- separated by tabs; \, tab, CR and LF inside a field are escaped with \.
local data = [{{.Level}}[
{{.Data}}]{{.Level}}]

-- now is a monotonic clock in seconds, or nil where LuaJIT's ffi is missing.
local now = function() return nil end
local has_ffi, ffi = pcall(require, "ffi")
if has_ffi then
   ffi.cdef[[
      typedef struct { long tv_sec; long tv_nsec; } loadcall_timespec;
      int clock_gettime(int clock, loadcall_timespec *ts);
   ]]
   local ts = ffi.new("loadcall_timespec")
   now = function()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
   end
end

-- In the main state: number the threads.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

-- In each thread: take its share, send each request once, count answers.

share, sent, answered, wrong, started, last = 0, 0, 0, 0, nil, nil
local requests = {}
local verified = false

function init(args)
   shares = tonumber(args[1]) or shares
   local i = 0
   for line in data:gmatch("[^\n]+") do
      if i % shares == id then
         requests[#requests + 1] = line
      end
      i = i + 1
   end
   data = nil
   share = #requests
end

local escapes = { ["\\"] = "\\", t = "\t", r = "\r", n = "\n" }

local function field(s)
   return (s:gsub("\\([\\trn])", escapes))
end

local function format(line)
   local f, start = {}, 1
   while true do
      local tab = line:find("\t", start, true)
      f[#f + 1] = field(line:sub(start, (tab or 0) - 1))
      if not tab then break end
      start = tab + 1
   end
   local headers = { Host = wrk.headers["Host"] }
   for h = 4, #f - 1, 2 do
      headers[f[h]] = f[h + 1]
   end
   return wrk.format(f[1], f[2], headers, f[3])
end

function request()
   if id == 0 and not verified then
      -- wrk parses thread 0's first request to check it, and sends none:
      -- hand it the first request without counting it as sent.
      verified = true
      return requests[1] and format(requests[1]) or wrk.format()
   end
   if sent >= share then
      return "" -- the share is spent: this connection sends nothing more
   end
   sent = sent + 1
   if sent == 1 then
      started = now()
   end
   return format(requests[sent])
end

function response(status, headers, body)
   answered = answered + 1
   last = now()
   if status ~= 200 or not body:find(expect, 1, true) then
      wrong = wrong + 1
   end
   if answered >= share then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local taken, s, a, w, ran_out, first, final = 0, 0, 0, 0, 0, nil, nil
   for _, t in ipairs(threads) do
      local share, sent = t:get("share"), t:get("sent")
      taken, s, a, w = taken + share, s + sent, a + t:get("answered"), w + t:get("wrong")
      if sent >= share then
         ran_out = 1
      end
      local started, last = t:get("started"), t:get("last")
      if started and (not first or started < first) then first = started end
      if last and (not final or last > final) then final = last end
   end
   local seconds = summary.duration / 1e6
   if ran_out == 1 then
      -- The rate is over the time answers came, not the idle rest of -d.
      seconds = (first and final and final > first) and final - first or 0
   end
   local rate = seconds > 0 and a / seconds or 0
   local n = threads[1] and threads[1]:get("shares") or shares
   io.write(string.format(
      "loadcall-wrk pool=%d taken=%d threads=%d shares=%d sent=%d answered=%d wrong=%d socket_errors=%d ran_out=%d seconds=%.3f requests_per_s=%.1f\n",
      {{.Count}}, taken, #threads, n, s, a, w,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      ran_out, seconds, rate))
end
