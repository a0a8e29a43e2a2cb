-- A pool overloaded: 6 tasks of 300 ms for a Pool of 2 worker processes.
-- At most 2 tasks run at once, the other 4 wait in the pool's queue until a
-- worker is free, and the whole takes 3 rounds.
--
-- Why the tasks' own lines, and not `parallelism <= workers`: on a 2-CPU run
-- a 2-worker pool can never exceed parallelism 2, so that check could not
-- fail; and tasks that wait (for I/O, here a sleep) use no CPU at all. Each
-- task prints "start I" and "end I": the lab's timestamps of those lines give
-- every task's interval, and counting overlapping intervals says how many ran
-- at once, whatever the machine's load.
local WORKERS, TASKS, WAIT = 2, 6, 0.3

-- Each task's start and end, in timeline order: {kind, task, t}.
local function marks(t)
  local out = {}
  for _, e in ipairs(t:events{type = "output"}) do
    local kind, task = e.text:match("^(%a+) (%d+)")
    if kind == "start" or kind == "end" then out[#out + 1] = {kind = kind, task = task, t = e.t} end
  end
  return out
end

return {
  scenario = "pool-queueing",
  description = "A Pool of 2 given 6 tasks: at most 2 run at once, the rest wait in its queue.",
  tags = {"performance", "python", "multiprocessing", "pool"},
  timeout = "60s",
  program = {"/usr/bin/python3", "pool_queue.py", tostring(WORKERS), tostring(TASKS), tostring(WAIT)},
  expect = {
    {exit = {process = "main", code = 0}},
    -- The parent and 2 workers, never a process per task.
    {processes = {total = 1 + WORKERS, max_alive = 1 + WORKERS}},
    {output = {match = "^end \\d+$", count = TASKS, writers = WORKERS}},
    -- At most WORKERS tasks between their start and end lines at any moment,
    -- and the pool did use all of them.
    function(t)
      local running, most, at = 0, 0, 0
      for _, m in ipairs(marks(t)) do
        running = running + (m.kind == "start" and 1 or -1)
        if running > most then most, at = running, m.t end
      end
      local msg = ("at most %d tasks ran at once (at %.3fs)"):format(most, at)
      if most == WORKERS then return true, msg end
      return false, msg .. (", expected %d: the pool's workers"):format(WORKERS)
    end,
    -- Queueing: every task past the first WORKERS started only after another
    -- task had ended, having waited in the queue.
    function(t)
      local ended, queued, waits, first = 0, 0, {}, nil
      for _, m in ipairs(marks(t)) do
        if m.kind == "end" then ended = ended + 1 end
        if m.kind == "start" then
          first = first or m.t
          if ended > 0 then
            queued = queued + 1
            waits[#waits + 1] = ("task %s %.2fs"):format(m.task, m.t - first)
          end
        end
      end
      local msg = ("%d tasks started only after another had ended"):format(queued)
      if #waits > 0 then msg = msg .. " (queued from the pool's first start: " .. table.concat(waits, ", ") .. ")" end
      if queued >= TASKS - WORKERS then return true, msg end
      return false, msg .. (", expected %d: nothing waited in a queue"):format(TASKS - WORKERS)
    end,
    -- 3 rounds of 300 ms.
    {duration = {process = "main", min = "850ms"}},
  },
}
