-- Four processes each add 1 to a shared counter 500 times. Under the lock the
-- total is exact, and each process reports how long it waited for the lock
-- in all. The sleep between reading and writing stands for the moment the
-- scheduler may switch processes; the lock makes it harmless. The lock
-- measures itself too: each release records its acquire's wait and its hold
-- (lock_wait, lock_hold), which the value checks below read.
return {
  scenario = "lua-lock-contention",
  description = "A lock makes a shared counter exact; each process reports its wait for the lock.",
  tags = {"lua", "lock", "shared-memory"},
  timeout = "30s",
  actors = {
    main = function()
      local counter = lab.value("int", 0)
      local lock = lab.lock()
      for _ = 1, 4 do
        lab.fork(function()
          local waited = 0
          for _ = 1, 500 do
            local before = lab.now()
            lock:acquire()
            waited = waited + (lab.now() - before)
            local v = counter:get()
            lab.sleep(0.0001)
            counter:set(v + 1)
            lock:release()
          end
          print(("waited %.0f ms for the lock"):format(waited * 1000))
        end)
      end
      for _ = 1, 4 do lab.wait() end
      print("total " .. counter:get())
    end,
  },
  expect = {
    {output = {match = "^total 2000$", by = "main"}},
    {output = {match = "^waited \\d+ ms for the lock$", count = 4, writers = 4}},
    -- every acquire was measured, and every hold lasted at least the sleep inside it
    {value = {name = "lock_wait", stat = "count", min = 2000, max = 2000}},
    {value = {name = "lock_hold", min = 0.0001}},
  },
}
