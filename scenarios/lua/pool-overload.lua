-- A pool of 3 workers given 9 tasks of 200 ms: three run at a time, the same
-- three workers take turns (no process per task), and the whole takes about
-- ceil(9 / 3) rounds of 200 ms. Workers are children of main: main.1..main.3.
return {
  scenario = "lua-pool-overload",
  description = "lab.pool reuses a fixed set of workers when there are more tasks than workers.",
  tags = {"lua", "pool", "multiprocessing"},
  timeout = "20s",
  actors = {
    main = function()
      local pool = lab.pool(3)
      local squares = pool:map(function(i)
        lab.sleep(0.2)
        print(("task %d done by %d"):format(i, lab.getpid()))
        return i * i
      end, {1, 2, 3, 4, 5, 6, 7, 8, 9})
      pool:close()
      pool:join()
      print("results " .. table.concat(squares, " "))
    end,
  },
  expect = {
    {processes = {total = 4, max_alive = 4}},                      -- main + 3 workers, never more
    {output = {match = "^task \\d done by", count = 9, writers = 3}}, -- 9 tasks, 3 distinct workers
    {output = {match = "^results 1 4 9 16 25 36 49 64 81$", by = "main"}},
    {duration = {process = "main", min = "550ms", max = "5s"}},    -- about 3 rounds of 200 ms
    function(t)
      -- Every task ran in one of the pool's workers, none in main.
      for _, e in ipairs(t:events{type = "output"}) do
        if e.text:match("^task") and e.pid == t:pid("main") then
          return false, "a task ran in main itself"
        end
      end
      return true, "every task ran in a worker"
    end,
  },
}
