-- lab.signal, lab.kill, lab.alarm, lab.pause; a handler that raises.
return {
  scenario = "lua-test-signals",
  timeout = "10s",
  actors = {
    main = function()
      local target = lab.fork(function()
        lab.signal("SIGUSR1", function(name) print("handled " .. name) end)
        lab.signal("SIGUSR2", "ignore")
        lab.signal("SIGTERM", "default")
        for _ = 1, 10 do lab.pause() end
      end, {name = "target"})
      lab.sleep(0.1)
      assert(lab.kill(target, "SIGUSR1"))
      lab.sleep(0.1)
      assert(lab.kill(target, "USR2"))
      lab.sleep(0.1)
      assert(lab.kill(target, 15))
      lab.waitpid(target)
      -- kill of a pid that does not exist
      local ok, err = lab.kill(99999, "SIGUSR1")
      print("kill failed: " .. err)
      -- a handler that raises ends its actor with the error
      local raiser = lab.fork(function()
        lab.signal("SIGALRM", function() error("boom in handler") end)
        lab.alarm(0.1)
        while true do lab.sleep(1) end
      end, {name = "raiser"})
      local _, st = lab.waitpid(raiser)
      print("raiser code " .. st.code)
      -- handlers run while sleeping, and the sleep goes on afterwards
      local sleeper = lab.fork(function()
        lab.signal("SIGUSR1", function() print("interrupted") end)
        local t0 = lab.now()
        lab.sleep(0.4)
        -- at least the whole time (a loaded machine may add to it), never
        -- cut short at the signal (0.1s)
        local slept = lab.now() - t0
        print(slept >= 0.39 and "slept it all" or ("slept only %.2f"):format(slept))
      end, {name = "sleeper"})
      lab.sleep(0.1)
      lab.kill(sleeper, "SIGUSR1")
      lab.waitpid(sleeper)
      -- a child forked from a handler, or from a coroutine, goes on running
      -- on that Lua thread: its own handlers must reach it in a busy loop
      local function spinner()
        local got = false
        lab.signal("SIGUSR2", function() got = true end)
        local t0 = lab.now()
        while not got and lab.now() - t0 < 3 do end
        print(got and "spinner handled" or "spinner missed it")
      end
      local from_handler
      lab.signal("SIGUSR1", function() from_handler = lab.fork(spinner, {name = "from-handler"}) end)
      lab.kill(lab.getpid(), "SIGUSR1")
      lab.sleep(0.05)
      local from_coroutine = coroutine.wrap(function() return lab.fork(spinner, {name = "from-coroutine"}) end)()
      lab.sleep(0.2)
      for _, pid in ipairs({from_handler, from_coroutine}) do
        lab.kill(pid, "SIGUSR2")
        lab.waitpid(pid)
      end
    end,
  },
  expect = {
    {signal = {sig = "SIGUSR1", from = "main", to = "target", outcome = "handled"}},
    {signal = {sig = "SIGUSR2", from = "main", to = "target", outcome = "ignored"}},
    {signal = {sig = "SIGTERM", from = "main", to = "target", outcome = "killed"}},
    {output = {match = "^handled SIGUSR1$", by = "target"}},
    {output = {match = "^kill failed: kill 99999 SIGUSR1: No such process \\(ESRCH\\)$"}},
    {output = {match = "boom in handler", by = "raiser", stream = "stderr"}},
    {output = {match = "^raiser code 1$"}},
    {signal = {sig = "SIGALRM", from = "kernel", to = "raiser", outcome = "handled"}},
    {output = {match = "^interrupted$", by = "sleeper"}},
    {output = {match = "^slept it all$", by = "sleeper"}},
    {output = {match = "^spinner handled$", by = "from-handler"}},
    {output = {match = "^spinner handled$", by = "from-coroutine"}},
    {no_output = {match = "missed"}},
  },
}
