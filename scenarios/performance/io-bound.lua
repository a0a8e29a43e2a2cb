-- IO-bound Python: threads overlap their waits. The same 4 waits of 300 ms
-- (a sleep stands in for disk or network I/O), serially, by 4 threads, by 4
-- processes. A waiting thread releases the GIL, so the threads phase takes
-- about one wait, not four, although it uses almost no CPU: the overlap is of
-- waiting, not of computing (gil-cpu-bound is the CPU-bound case).
--
-- Why wall time between the phase lines, and not `parallelism`: waiting uses
-- no CPU, so parallelism is about 0 in every phase and says nothing about
-- overlap. The lab's own timestamps of the phase markers do: each phase's wall
-- time is compared with the serial phase's, as a ratio, so a loaded machine
-- (which only makes waits end later) cannot turn it red, and neither can
-- a fast one.
local WORKERS, WAIT = 4, 0.3

-- The lab's time of the first line matching `re`, and the line.
local function at(t, re)
  for _, e in ipairs(t:events{type = "output"}) do
    if e.text:match(re) then return e.t end
  end
end

-- Wall seconds from "== NAME" to "== NEXT", or nil and why.
local function phase(t, name, next)
  local from, to = at(t, "^== " .. name), at(t, "^== " .. next)
  if not from or not to then return nil, "no '== " .. (from and next or name) .. "' line was printed" end
  return to - from
end

-- The phase NAME took less than `share` of the serial phase.
local function overlaps(t, name, next, share)
  local serial, why = phase(t, "serial", "threads")
  if not serial then return false, why end
  local took
  took, why = phase(t, name, next)
  if not took then return false, why end
  local msg = ("the %s phase took %.2fs, the serial phase %.2fs: %.2f of it"):format(
    name, took, serial, took / serial)
  if took < share * serial then return true, msg .. (" (less than %.2f)"):format(share) end
  return false, msg .. (", not less than %.2f: the waits did not overlap"):format(share)
end

return {
  scenario = "io-bound",
  description = "IO-bound Python: threads overlap their waits (the GIL is released while waiting), as processes do.",
  tags = {"performance", "threads", "processes", "gil", "io"},
  -- The parallelism check pins the machine: 2 CPUs, never beside another run.
  cpus = 2,
  exclusive = true,
  timeout = "60s",
  program = {"/usr/bin/python3", "io_bound.py", tostring(WORKERS), tostring(WAIT)},
  expect = {
    {exit = {process = "main", code = 0}},
    -- The waits are real: the serial phase is all four of them, one after another.
    function(t)
      local serial, why = phase(t, "serial", "threads")
      if not serial then return false, why end
      local msg = ("the serial phase took %.2fs"):format(serial)
      if serial >= 0.9 * WORKERS * WAIT then return true, msg end
      return false, msg .. (", less than its %d waits of %.2fs"):format(WORKERS, WAIT)
    end,
    -- The lesson: 4 overlapping waits take about 1/4 of 4 waits in a row.
    function(t) return overlaps(t, "threads", "processes", 0.5) end,
    function(t) return overlaps(t, "processes", "done", 0.5) end,
    -- Waiting is not computing: the threads phase hardly uses a CPU.
    {parallelism = {from = 'output "== threads"', to = 'output "== processes"', max = 0.5}},
  },
}
