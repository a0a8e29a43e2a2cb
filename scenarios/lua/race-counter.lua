-- The same counter without the lock: two processes read the same value, both
-- add 1, both write it back — one increment is lost. With the pause between
-- read and write every process interleaves with the others, so updates are
-- lost on every run, not once in a while.
return {
  scenario = "lua-race-counter",
  description = "Without a lock, read-modify-write on shared memory loses updates.",
  tags = {"lua", "race", "shared-memory"},
  timeout = "30s",
  actors = {
    main = function()
      local counter = lab.value("int", 0)
      for _ = 1, 4 do
        lab.fork(function()
          for _ = 1, 200 do
            local v = counter:get()
            lab.sleep(0.0001)
            counter:set(v + 1)
          end
        end)
      end
      for _ = 1, 4 do lab.wait() end
      print(("total %d of 800, %d lost"):format(counter:get(), 800 - counter:get()))
    end,
  },
  expect = {
    {output = {match = "^total \\d+ of 800, [1-9]\\d* lost$", by = "main"}},
  },
}
